/// Python's `json.dumps`/`json.loads` for template values (`| tojson`, `macros.json.dumps`), byte-compatible with
/// CPython's defaults: `, ` and `: ` separators, `ensure_ascii`, floats as `repr`, NaN as `NaN`.
enum JSONText {
    static func dumps(_ value: TemplateValue, indent: Int?, sortKeys: Bool, ensureASCII: Bool = true,
                      separators: (item: String, key: String)? = nil) throws(EvalFailure) -> String {
        var out = ""
        let seps = separators ?? (indent == nil ? (", ", ": ") : (",", ": "))
        try write(value, indent: indent, level: 0, sortKeys: sortKeys, ascii: ensureASCII, seps: seps, into: &out)
        return out
    }

    /// Jinja's `tojson` output is safe inside HTML: `<`, `>`, `&`, `'` become `\u003c` etc.
    static func htmlSafe(_ json: String) -> String {
        var out = ""
        out.reserveCapacity(json.utf8.count)
        for c in json.unicodeScalars {
            switch c {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "'": out += "\\u0027"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func newline(_ indent: Int?, _ level: Int, into out: inout String) {
        guard let indent else { return }
        out += "\n" + String(repeating: " ", count: indent * level)
    }

    private static func write(_ value: TemplateValue, indent: Int?, level: Int, sortKeys: Bool, ascii: Bool,
                              seps: (item: String, key: String), into out: inout String) throws(EvalFailure) {
        switch value {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else { out += PyNumber.repr(d) }
        case .string(let s): string(s, ascii: ascii, into: &out)
        case .list(let items), .tuple(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += seps.item }
                newline(indent, level + 1, into: &out)
                try write(item, indent: indent, level: level + 1, sortKeys: sortKeys, ascii: ascii, seps: seps, into: &out)
            }
            newline(indent, level, into: &out)
            out += "]"
        case .dict(let d):
            if d.count == 0 { out += "{}"; return }
            var pairs: [(String, TemplateValue)] = []
            for i in 0..<d.count {
                let key: String
                switch d.keys[i] {
                case .string(let s): key = s
                case .int(let n): key = String(n)
                case .bool(let b): key = b ? "true" : "false"
                case .none: key = "null"
                default: throw EvalFailure.type("keys must be str, int, float, bool or None")
                }
                pairs.append((key, d.values[i]))
            }
            if sortKeys { pairs.sort { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) } }
            out += "{"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += seps.item }
                newline(indent, level + 1, into: &out)
                string(pair.0, ascii: ascii, into: &out)
                out += seps.key
                try write(pair.1, indent: indent, level: level + 1, sortKeys: sortKeys, ascii: ascii, seps: seps, into: &out)
            }
            newline(indent, level, into: &out)
            out += "}"
        default:
            throw EvalFailure.type("Object of type \(PythonText.typeName(value)) is not JSON serializable",
                                   help: "convert it first, e.g. `| string` or `.isoformat()`")
        }
    }

    private static func string(_ s: String, ascii: Bool, into out: inout String) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if c.value < 0x20 || (ascii && c.value > 0x7E) {
                    if c.value > 0xFFFF {
                        let v = c.value - 0x10000
                        out += "\\u" + PythonText.hex(0xD800 + (v >> 10), 4) + "\\u" + PythonText.hex(0xDC00 + (v & 0x3FF), 4)
                    } else {
                        out += "\\u" + PythonText.hex(c.value, 4)
                    }
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        out += "\""
    }

    // MARK: loads

    static func loads(_ text: String) throws(EvalFailure) -> TemplateValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == parser.bytes.count else { throw EvalFailure.value("JSON text has extra data after the value") }
        return value
    }

    private struct JSONParser {
        let bytes: [UInt8]
        var at = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func skipSpace() {
            while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
        }

        private func bad() -> EvalFailure { EvalFailure.value("invalid JSON text") }

        private mutating func literal(_ word: String, _ v: TemplateValue) throws(EvalFailure) -> TemplateValue {
            let w = Array(word.utf8)
            guard at + w.count <= bytes.count, Array(bytes[at..<(at + w.count)]) == w else { throw bad() }
            at += w.count
            return v
        }

        mutating func value(depth: Int) throws(EvalFailure) -> TemplateValue {
            guard depth < 200 else { throw EvalFailure.value("JSON nesting is too deep") }
            guard at < bytes.count else { throw bad() }
            switch bytes[at] {
            case 0x7B:
                at += 1
                var keys: [TemplateValue] = []
                var values: [TemplateValue] = []
                skipSpace()
                if at < bytes.count, bytes[at] == 0x7D { at += 1; return .dict(TemplateDict(keys: [], values: [])) }
                while true {
                    skipSpace()
                    guard at < bytes.count, bytes[at] == 0x22 else { throw bad() }
                    keys.append(.string(try string()))
                    skipSpace()
                    guard at < bytes.count, bytes[at] == 0x3A else { throw bad() }
                    at += 1
                    skipSpace()
                    values.append(try value(depth: depth + 1))
                    skipSpace()
                    guard at < bytes.count else { throw bad() }
                    if bytes[at] == 0x2C { at += 1; continue }
                    if bytes[at] == 0x7D { at += 1; return .dict(TemplateDict(keys: keys, values: values)) }
                    throw bad()
                }
            case 0x5B:
                at += 1
                var items: [TemplateValue] = []
                skipSpace()
                if at < bytes.count, bytes[at] == 0x5D { at += 1; return .list([]) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard at < bytes.count else { throw bad() }
                    if bytes[at] == 0x2C { at += 1; continue }
                    if bytes[at] == 0x5D { at += 1; return .list(items) }
                    throw bad()
                }
            case 0x22: return .string(try string())
            case 0x74: return try literal("true", .bool(true))
            case 0x66: return try literal("false", .bool(false))
            case 0x6E: return try literal("null", .none)
            case 0x4E: return try literal("NaN", .double(.nan))
            case 0x49: return try literal("Infinity", .double(.infinity))
            default:
                let start = at
                if bytes[at] == 0x2D { at += 1 }
                if at < bytes.count, bytes[at] == 0x49 { return .double(-(try literal("Infinity", .double(.infinity)).doubleValue)) }
                var isFloat = false
                while at < bytes.count {
                    let b = bytes[at]
                    if b >= 0x30 && b <= 0x39 { at += 1 } else if b == 0x2E || b == 0x65 || b == 0x45 || b == 0x2B || b == 0x2D {
                        isFloat = true
                        at += 1
                    } else { break }
                }
                let text = String(decoding: bytes[start..<at], as: UTF8.self)
                if !isFloat, let i = Int(text) { return .int(i) }
                guard let d = Double(text) else { throw bad() }
                return .double(d)
            }
        }

        private mutating func string() throws(EvalFailure) -> String {
            at += 1
            var out = String.UnicodeScalarView()
            var pendingHigh: UInt32?
            while at < bytes.count {
                let b = bytes[at]
                if b == 0x22 { at += 1; return String(out) }
                if b == 0x5C {
                    guard at + 1 < bytes.count else { throw bad() }
                    let e = bytes[at + 1]
                    at += 2
                    switch e {
                    case 0x6E: out.append("\n")
                    case 0x74: out.append("\t")
                    case 0x72: out.append("\r")
                    case 0x62: out.append("\u{08}")
                    case 0x66: out.append("\u{0C}")
                    case 0x2F: out.append("/")
                    case 0x5C: out.append("\\")
                    case 0x22: out.append("\"")
                    case 0x75:
                        guard at + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[at..<(at + 4)], as: UTF8.self), radix: 16) else { throw bad() }
                        at += 4
                        if (0xD800...0xDBFF).contains(v) { pendingHigh = v; continue }
                        if (0xDC00...0xDFFF).contains(v), let high = pendingHigh {
                            pendingHigh = nil
                            if let s = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (v - 0xDC00)) { out.append(s) }
                            continue
                        }
                        if let s = Unicode.Scalar(v) { out.append(s) }
                    default: throw bad()
                    }
                    continue
                }
                var end = at + 1
                while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
                out.append(contentsOf: String(decoding: bytes[at..<end], as: UTF8.self).unicodeScalars)
                at = end
            }
            throw bad()
        }
    }
}

extension TemplateValue {
    fileprivate var doubleValue: Double {
        if case .double(let d) = self { return d }
        return 0
    }
}
