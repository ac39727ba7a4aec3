/// Writes records as CSV into a buffer that the caller drains in chunks (`take()`), quoting only when needed;
/// nil fields are written empty and unquoted (NULL to PostgreSQL's CSV COPY), empty strings as `""`.
public struct CSVWriter {
    public let format: CSVFormat
    public private(set) var buffer: [UInt8] = []

    public init(format: CSVFormat = .csv) {
        self.format = format
        buffer.reserveCapacity(1 << 16)
    }

    public mutating func write(_ fields: [String?]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { buffer.append(format.delimiter) }
            guard let field else { continue }
            let bytes = field.utf8
            if bytes.isEmpty {
                buffer.append(format.quote)
                buffer.append(format.quote)
                continue
            }
            let needsQuotes = bytes.contains { $0 == format.delimiter || $0 == format.quote || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
            if needsQuotes {
                buffer.append(format.quote)
                for b in bytes {
                    if b == format.quote { buffer.append(b) }
                    buffer.append(b)
                }
                buffer.append(format.quote)
            } else {
                buffer.append(contentsOf: bytes)
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Everything written since the last call.
    public mutating func take() -> [UInt8] {
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer
    }

    public var count: Int { buffer.count }
}
