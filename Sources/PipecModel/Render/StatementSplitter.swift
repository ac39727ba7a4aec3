/// Splits rendered SQL into statements at top-level semicolons: not inside quotes ('...', "...", `...`),
/// comments (`--` to the end of the line, `/* */`), or PostgreSQL dollar quotes (`$$...$$`, `$tag$...$tag$`).
///
/// ClickHouse's HTTP interface and libpq's extended protocol take one statement per request, so an `sql:` task
/// that holds several is sent as several. Pieces that hold only whitespace and comments are dropped. SQL that pipec
/// embeds into a statement of its own (a build's SELECT, a check, a query source) must split into exactly one
/// (`OneStatement`), at validate and again when compiled with the run's values.
package enum StatementSplitter {
    /// `backslashEscapes`: whether a backslash escapes the next character inside quotes (ClickHouse and Athena;
    /// PostgreSQL and SQLite strings are standard SQL, where a backslash is an ordinary character).
    package static func split(_ sql: String, backslashEscapes: Bool) -> [String] {
        let bytes = Array(sql.utf8)
        var statements: [String] = []
        var start = 0
        var i = 0
        var hasCode = false
        func flush(upTo end: Int) {
            if hasCode, let text = String(validating: bytes[start..<end], as: UTF8.self) {
                statements.append(trimmed(text))
            }
            hasCode = false
        }
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                hasCode = true
                i = skipQuoted(bytes, from: i, quote: b, backslashEscapes: backslashEscapes)
            case UInt8(ascii: "-") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-"):
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "*"):
                i += 2
                while i + 1 < bytes.count && !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i = min(bytes.count, i + 2)
            case UInt8(ascii: "$"):
                hasCode = true
                i = skipDollarQuoted(bytes, from: i)
            case UInt8(ascii: ";"):
                flush(upTo: i)
                i += 1
                start = i
            default:
                if b != UInt8(ascii: " ") && b != UInt8(ascii: "\n") && b != UInt8(ascii: "\t") && b != UInt8(ascii: "\r") { hasCode = true }
                i += 1
            }
        }
        flush(upTo: bytes.count)
        return statements
    }

    /// Whether a statement (as `split` returns it) is a query that returns rows: its first word, after comments
    /// and opening parentheses, is SELECT, WITH, VALUES or SHOW. The compiler marks a `sql` task whose last
    /// statement is one, so its first value becomes the task's `value`.
    package static func isQuery(_ statement: String) -> Bool {
        var rest = Substring(statement)
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "(" }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return false }
                rest = rest[end.upperBound...]
            } else {
                break
            }
        }
        let word = rest.prefix { $0.isLetter }.uppercased()
        return ["SELECT", "WITH", "VALUES", "SHOW"].contains(word)
    }

    /// The index after a quoted string starting at `from`. A doubled quote stays inside; so does a
    /// backslash-escaped one when the dialect has backslash escapes.
    private static func skipQuoted(_ bytes: [UInt8], from: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var i = from + 1
        while i < bytes.count {
            if backslashEscapes && bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
            if bytes[i] == quote {
                if i + 1 < bytes.count && bytes[i + 1] == quote { i += 2; continue }
                return i + 1
            }
            i += 1
        }
        return bytes.count
    }

    /// The index after a dollar-quoted string starting at `from`, or after the `$` when it does not start one
    /// (a ClickHouse `$` in an identifier, a positional parameter `$1`).
    private static func skipDollarQuoted(_ bytes: [UInt8], from: Int) -> Int {
        var j = from + 1
        while j < bytes.count, bytes[j] == UInt8(ascii: "_") || (bytes[j] | 0x20 >= UInt8(ascii: "a") && bytes[j] | 0x20 <= UInt8(ascii: "z")) { j += 1 }
        guard j < bytes.count, bytes[j] == UInt8(ascii: "$") else { return from + 1 }
        let tag = Array(bytes[from...j])
        var i = j + 1
        while i + tag.count <= bytes.count {
            if Array(bytes[i..<i + tag.count]) == tag { return i + tag.count }
            i += 1
        }
        return bytes.count
    }

    private static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
