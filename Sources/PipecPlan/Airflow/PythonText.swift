/// Python source text for values pipec writes into generated files: string literals that mean exactly the string
/// given, whatever it holds (quotes, backslashes, newlines, control characters, any Unicode).
enum PythonText {
    /// A double-quoted Python 3 string literal of `s`.
    static func literal(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // Other control characters (and the line and paragraph separators, which some tools break lines
                // at) are written as escapes so the file stays one logical line per literal.
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, digits: 2)
                } else if scalar.value == 0x2028 || scalar.value == 0x2029 || (0x80...0x9F).contains(scalar.value) {
                    out += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A Python list of string literals.
    static func list(_ items: [String]) -> String { "[" + items.map(literal).joined(separator: ", ") + "]" }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

/// Words for a POSIX shell: a single-quoted word means exactly its text.
enum ShellText {
    static func word(_ s: String) -> String {
        if !s.isEmpty, s.utf8.allSatisfy({ b in (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x2D || b == 0x2F }) {
            return s
        }
        var out = "'"
        for c in s { if c == "'" { out += "'\\''" } else { out.append(c) } }
        return out + "'"
    }
}
