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
    public var description: String { "line \(line): \(message)" }
}

/// One record: fields as text, `nil` for an empty unquoted field (SQL NULL, as PostgreSQL's CSV COPY reads it),
/// and the line it started on, for error messages and quarantine rows.
public struct CSVRecord: Sendable, Hashable {
    public var fields: [String?]
    public var line: Int
}

/// A streaming RFC 4180 reader over a `ByteSource`: quoted fields with embedded delimiters, quotes (`""`) and
/// newlines; CRLF or LF line ends; a missing final newline. Reads the source in 1 MiB chunks.
public struct CSVReader<Source: ByteSource> {
    private var source: Source
    public let format: CSVFormat
    private var buffer: [UInt8] = []
    private var position = 0
    private var exhausted = false
    private var line = 1
    private let chunkSize: Int
    /// The header's names, when the format has a header and it has been read.
    public private(set) var header: [String]?

    public init(_ source: Source, format: CSVFormat = .csv, chunkSize: Int = 1 << 20) {
        self.source = source
        self.format = format
        self.chunkSize = chunkSize
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
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        buffer += chunk
        return true
    }

    private mutating func nextRecord() throws -> CSVRecord? {
        // Skip a blank line only at the very end (a trailing newline); blank lines elsewhere are one NULL field.
        if position >= buffer.count {
            let more = try fill()
            if !more { return nil }
        }
        let startLine = line
        var fields: [String?] = []
        var field: [UInt8] = []
        var quoted = false
        var inQuotes = false
        let d = format.delimiter, q = format.quote
        while true {
            if position >= buffer.count {
                if !(try fill()) {
                    if inQuotes { throw CSVError(line: startLine, message: "unterminated quoted field") }
                    fields.append(quoted || !field.isEmpty ? String(decoding: field, as: UTF8.self) : nil)
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
                    field.append(b)
                    position += 1
                }
                continue
            }
            switch b {
            case d:
                fields.append(quoted || !field.isEmpty ? String(decoding: field, as: UTF8.self) : nil)
                field.removeAll(keepingCapacity: true)
                quoted = false
                position += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                position += 1
                if b == UInt8(ascii: "\r") {
                    if position >= buffer.count { _ = try fill() }
                    if position < buffer.count, buffer[position] == UInt8(ascii: "\n") { position += 1 }
                }
                line += 1
                fields.append(quoted || !field.isEmpty ? String(decoding: field, as: UTF8.self) : nil)
                return CSVRecord(fields: fields, line: startLine)
            case q where field.isEmpty && !quoted:
                inQuotes = true
                quoted = true
                position += 1
            default:
                if quoted {
                    throw CSVError(line: line, message: "unexpected character after a closing quote")
                }
                field.append(b)
                position += 1
            }
        }
    }
}
