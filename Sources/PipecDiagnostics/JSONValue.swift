/// A JSON document with object keys kept in insertion order, so every JSON pipec prints is deterministic.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(serialized(pretty: false))
    }

    /// Looks a key up in an object (nil for other values).
    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    /// The text of this value: two-space indented when `pretty`, otherwise on one line.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(to out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isFinite {
                if d == d.rounded(), abs(d) < 1e15 { out += String(Int(d)) } else { out += String(d) }
            } else {
                out += "null"
            }
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                item.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                JSONValue.writeString(key, to: &out)
                out += pretty ? ": " : ":"
                value.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    public static func writeString(_ s: String, to out: inout String) {
        out += "\""
        // Most strings need no escaping: check without copying, then append the whole string at once.
        let needsEscape = s.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        if !needsEscape {
            out += s
            out += "\""
            return
        }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(s.utf8.count + 16)
        let backslash = UInt8(ascii: "\\")
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""), backslash: escaped.append(backslash); escaped.append(b)
            case UInt8(ascii: "\n"): escaped.append(backslash); escaped.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): escaped.append(backslash); escaped.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): escaped.append(backslash); escaped.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hexDigits = Array("0123456789abcdef".utf8)
                escaped.append(contentsOf: Array("\\u00".utf8))
                escaped.append(hexDigits[Int(b >> 4)])
                escaped.append(hexDigits[Int(b & 0xF)])
            default: escaped.append(b)
            }
        }
        out += String(decoding: escaped, as: UTF8.self)
        out += "\""
    }

    /// A JSON string literal for `s`.
    public static func quote(_ s: String) -> String {
        var out = ""
        writeString(s, to: &out)
        return out
    }
}
