/// Rewrites ClickHouse's TabSeparated output as CSV bytes while it streams, without making a string of each field:
/// exports of a ClickHouse query to CSV or TSV move bytes at the speed of a byte loop. The output is what pipec's
/// `CSVWriter` writes for the same rows: fields quoted only when they hold the delimiter, a quote or a line break,
/// `""` for an empty string, nothing for NULL.
public struct TabSeparatedToCSV {
    let delimiter: UInt8
    private var field: [UInt8] = []
    private var escaped = false
    /// The field is `\N` (NULL), which ClickHouse only ever writes as a whole field.
    private var null = false
    /// Rows converted (lines after the header, when there is one).
    public private(set) var lines = 0

    public init(delimiter: UInt8) {
        self.delimiter = delimiter
        field.reserveCapacity(256)
    }

    /// Converts `input`, appending to `out`; a field or escape cut by the chunk boundary continues with the next.
    public mutating func convert(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + input.count + input.count / 8)
        for byte in input {
            if escaped {
                escaped = false
                if byte == UInt8(ascii: "N") && field.isEmpty {
                    null = true
                } else {
                    field.append(TabSeparated.unescaped(byte))
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"): escaped = true
            case UInt8(ascii: "\t"):
                emitField(into: &out)
                out.append(delimiter)
            case UInt8(ascii: "\n"):
                emitField(into: &out)
                out.append(UInt8(ascii: "\n"))
                lines += 1
            default:
                field.append(byte)
            }
        }
    }

    private mutating func emitField(into out: inout [UInt8]) {
        defer {
            field.removeAll(keepingCapacity: true)
            null = false
        }
        if null { return }
        if field.isEmpty {
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: "\""))
            return
        }
        var needsQuotes = false
        for b in field where b == delimiter || b == UInt8(ascii: "\"") || b == 10 || b == 13 {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            out.append(contentsOf: field)
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in field {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }
}
