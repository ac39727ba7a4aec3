import Foundation

/// Reads JSON lines (one object per line, as CrateDB's COPY TO and many APIs write them) from a byte stream, in
/// constant memory: one line at a time. Values become text as the engines take them: strings as they are, numbers
/// and booleans as written, nested objects and arrays as JSON text, null as NULL.
public struct JSONLinesReader {
    private var source: any ByteSource
    private var buffer: [UInt8] = []
    private var offset = 0
    private var finished = false
    public private(set) var line = 0

    public init(_ source: any ByteSource) { self.source = source }

    /// One record: its line number and either its fields by name or why the line is not a JSON object.
    public enum Record {
        case object(line: Int, fields: [String: String?])
        case invalid(line: Int, reason: String, raw: String)
    }

    public mutating func next() throws -> Record? {
        while true {
            guard let bytes = try nextLine() else { return nil }
            line += 1
            let trimmed = bytes.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if trimmed.isEmpty || trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let raw = String(decoding: bytes, as: UTF8.self)
            guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) as? [String: Any] else {
                return .invalid(line: line, reason: "line \(line) is not a JSON object", raw: raw)
            }
            var fields: [String: String?] = [:]
            for (key, value) in object { fields[key] = Self.text(value) }
            return .object(line: line, fields: fields)
        }
    }

    static func text(_ value: Any) -> String? {
        switch value {
        case is NSNull: return nil
        case let s as String: return s
        case let n as NSNumber:
            // JSONSerialization gives booleans as NSNumber too; their Objective-C type is `c` (a C char).
            if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
            return n.stringValue
        default:
            guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }

    private mutating func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[offset...].firstIndex(of: 0x0A) {
                defer { offset = newline + 1 }
                return buffer[offset..<newline]
            }
            if finished {
                guard offset < buffer.count else { return nil }
                defer { offset = buffer.count }
                return buffer[offset...]
            }
            buffer.removeFirst(offset)
            offset = 0
            let more = try source.read(maxCount: 1 << 20)
            if more.isEmpty { finished = true } else { buffer += more }
        }
    }
}
