/// Text made safe for HTML: every piece of spec or state text goes through `HTML.text` (or `attribute`) on its way
/// into a page, after the redactor, so neither markup nor a secret can slip through.
enum HTML {
    /// Escapes the five characters that can end text or a double- or single-quoted attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A JSON string literal that is also safe inside a script: `<`, `>`, `&` and the JavaScript line separators
    /// are written as `\u` escapes, so no value can close a `<script>` element or break a line.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex4(c.value)
            default:
                if c.value < 0x20 { out += "\\u" + hex4(c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
