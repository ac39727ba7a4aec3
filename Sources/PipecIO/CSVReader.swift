/// How a delimited file is written.
public struct CSVFormat: Sendable, Hashable {
    public var delimiter: UInt8
    public var quote: UInt8
    /// The first record names the columns.
    public var header: Bool

    public init(delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""), header: Bool = true) {
        self.delimiter = delimiter
        self.quote = quote
        self.header = header
    }

    public static let csv = CSVFormat()
    public static let tsv = CSVFormat(delimiter: UInt8(ascii: "\t"))
}

public struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line of the record where the problem starts.
    public var line: Int
    public var message: String
    /// The bad record's text (its first line when its quotes never closed), for a quarantine row. Bytes that are not
    /// UTF-8 show as U+FFFD here; the record itself was rejected, never loaded with them.
    public var raw: String = ""
    /// The reader went on at the line after the bad record: `next()` reads the rest of the file. False when the rest
    /// cannot be read (a record longer than the reader's limit), which must fail the load.
    public var resynchronised: Bool = false
    public var description: String { "line \(line): \(message)" }
}

/// One record: fields as text, `nil` for an empty unquoted field (SQL NULL, as PostgreSQL's CSV COPY reads it),
/// and the line it started on, for error messages and quarantine rows.
public struct CSVRecord: Sendable, Hashable {
    public var fields: [String?]
    public var line: Int
}

/// A streaming RFC 4180 reader over a `ByteSource`: quoted fields with embedded delimiters, quotes (`""`) and
/// newlines; CRLF or LF line ends; a missing final newline; a UTF-8 byte-order mark before the first record is not
/// data. Reads the source in 1 MiB chunks.
///
/// A malformed record (a quote that never closes, text after a closing quote, bytes that are not UTF-8) is one bad
/// record: `next()` throws a `CSVError` with its raw text and goes on at the next line, so one stray quote never
/// swallows the rest of the file. To do that the reader keeps the current record's bytes, up to
/// `maxRecordBytes`; a record longer than that cannot be resynchronised and ends the read.
public struct CSVReader<Source: ByteSource> {
    private var source: Source
    public let format: CSVFormat
    private var buffer: [UInt8] = []
    private var position = 0
    /// Where the record being read starts in `buffer` (kept until it is done, to resynchronise).
    private var recordStart = 0
    private var exhausted = false
    private var line = 1
    private var atStart = true
    private let chunkSize: Int
    private let maxRecordBytes: Int
    /// The header's names, when the format has a header and it has been read.
    public private(set) var header: [String]?

    public init(_ source: Source, format: CSVFormat = .csv, chunkSize: Int = 1 << 20, maxRecordBytes: Int = 64 << 20) {
        self.source = source
        self.format = format
        self.chunkSize = chunkSize
        self.maxRecordBytes = maxRecordBytes
    }

    /// Reads the header record now (when the format has one); `next()` does it on first use otherwise.
    public mutating func readHeader() throws -> [String]? {
        guard format.header, header == nil else { return header }
        guard let record = try nextRecord() else { return nil }
        header = record.fields.map { $0 ?? "" }
        return header
    }

    /// The next data record, or nil at the end.
    public mutating func next() throws -> CSVRecord? {
        if format.header && header == nil { _ = try readHeader() }
        return try nextRecord()
    }

    private mutating func fill() throws -> Bool {
        if exhausted { return false }
        let chunk = try source.read(maxCount: chunkSize)
        if chunk.isEmpty {
            exhausted = true
            return false
        }
        if recordStart > 0 {
            buffer.removeFirst(recordStart)
            position -= recordStart
            recordStart = 0
        }
        buffer += chunk
        return true
    }

    /// The record that started at `recordStart` (on `startLine`) is malformed: its raw text is its first line, and
    /// reading goes on at the line after it.
    private mutating func resynchronise(startLine: Int, message: String) throws -> CSVError {
        // Offsets from the record's start: reading more moves the record to the buffer's front.
        var length = 0
        func byte(_ offset: Int) throws -> UInt8? {
            while recordStart + offset >= buffer.count { if !(try fill()) { return nil } }
            return buffer[recordStart + offset]
        }
        while let b = try byte(length), b != UInt8(ascii: "\n"), b != UInt8(ascii: "\r") { length += 1 }
        let raw = String(decoding: buffer[recordStart..<recordStart + length], as: UTF8.self)
        var end = length
        if try byte(end) == UInt8(ascii: "\r") { end += 1 }
        if try byte(end) == UInt8(ascii: "\n") { end += 1 }
        end = min(recordStart + end, buffer.count)
        position = end
        recordStart = end
        line = startLine + 1
        return CSVError(line: startLine, message: message, raw: raw, resynchronised: true)
    }

    /// A finished field: nil for an empty unquoted one (NULL). Bytes that are not UTF-8 set `notText` (the record is
    /// bad); an ASCII field (`ascii`, tracked while reading: most fields) needs no validation.
    private static func finish(_ field: [UInt8], quoted: Bool, ascii: Bool, notText: inout Bool) -> String? {
        guard quoted || !field.isEmpty else { return nil }
        if ascii { return String(decoding: field, as: UTF8.self) }
        guard let text = String(validating: field, as: UTF8.self) else {
            notText = true
            return nil
        }
        return text
    }

    private mutating func nextRecord() throws -> CSVRecord? {
        recordStart = position
        // Skip a blank line only at the very end (a trailing newline); blank lines elsewhere are one NULL field.
        if position >= buffer.count {
            let more = try fill()
            if !more { return nil }
        }
        if atStart {
            atStart = false
            // A byte-order mark names no column: skip it.
            while buffer.count < 3, try fill() {}
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                position = 3
                recordStart = 3
                if position >= buffer.count, !(try fill()) { return nil }
            }
        }
        let startLine = line
        var fields: [String?] = []
        var field: [UInt8] = []
        var quoted = false
        var inQuotes = false
        var notText = false
        var ascii = true
        let d = format.delimiter, q = format.quote
        while true {
            if position >= buffer.count {
                if position - recordStart > maxRecordBytes {
                    throw CSVError(line: startLine, message: "a record runs on for more than \(maxRecordBytes >> 20) MiB (a quote that never closes?); "
                                   + "the rest of the file cannot be read")
                }
                if !(try fill()) {
                    if inQuotes { throw try resynchronise(startLine: startLine, message: "unterminated quoted field") }
                    fields.append(Self.finish(field, quoted: quoted, ascii: ascii, notText: &notText))
                    if notText { throw malformedText(startLine: startLine) }
                    return CSVRecord(fields: fields, line: startLine)
                }
            }
            let b = buffer[position]
            if inQuotes {
                if b == q {
                    if position + 1 >= buffer.count, !(try fill()) {
                        position += 1
                        inQuotes = false
                        continue
                    }
                    if buffer[position + 1] == q {
                        field.append(q)
                        position += 2
                    } else {
                        inQuotes = false
                        position += 1
                    }
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    if b >= 0x80 { ascii = false }
                    field.append(b)
                    position += 1
                }
                continue
            }
            switch b {
            case d:
                fields.append(Self.finish(field, quoted: quoted, ascii: ascii, notText: &notText))
                field.removeAll(keepingCapacity: true)
                ascii = true
                quoted = false
                position += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                position += 1
                if b == UInt8(ascii: "\r") {
                    if position >= buffer.count { _ = try fill() }
                    if position < buffer.count, buffer[position] == UInt8(ascii: "\n") { position += 1 }
                }
                line += 1
                fields.append(Self.finish(field, quoted: quoted, ascii: ascii, notText: &notText))
                if notText { throw malformedText(startLine: startLine) }
                return CSVRecord(fields: fields, line: startLine)
            case q where field.isEmpty && !quoted:
                inQuotes = true
                quoted = true
                position += 1
            default:
                if quoted {
                    throw try resynchronise(startLine: startLine, message: "unexpected character after a closing quote")
                }
                if b >= 0x80 { ascii = false }
                field.append(b)
                position += 1
            }
        }
    }

    /// The record just read (it ended at `position`) has bytes that are not UTF-8: a bad record, never loaded with
    /// replacement characters. Reading goes on after it.
    private mutating func malformedText(startLine: Int) -> CSVError {
        var end = position
        while end > recordStart, buffer[end - 1] == UInt8(ascii: "\n") || buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let raw = String(decoding: buffer[recordStart..<end], as: UTF8.self)
        recordStart = position
        return CSVError(line: startLine, message: "a field is not valid UTF-8", raw: raw, resynchronised: true)
    }
}
