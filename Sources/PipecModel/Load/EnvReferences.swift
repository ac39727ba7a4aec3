import PipecDiagnostics

/// Splits `${env:NAME}` / `${env:NAME:-default}` references out of a spec string, reporting malformed ones
/// at their column inside the string.
enum EnvReferences {
    static func parse(_ text: String, location: SourceLocation, contentColumn: Int?) -> (segments: [ConfigValue.Segment], problems: [Diagnostic]) {
        guard text.contains("${") else { return ([.literal(text)], []) }
        var segments: [ConfigValue.Segment] = []
        var problems: [Diagnostic] = []
        var literal = ""
        let chars = Array(text)
        var i = 0
        func place(_ offset: Int, _ length: Int) -> SourceLocation {
            // Inline positions are exact on the scalar's first line; elsewhere point at the scalar.
            guard let column = contentColumn, !chars[..<offset].contains("\n") else { return location }
            return SourceLocation(file: location.file, line: location.line, column: column + offset, length: length)
        }
        while i < chars.count {
            guard chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{" else {
                literal.append(chars[i])
                i += 1
                continue
            }
            guard let close = chars[i...].firstIndex(of: "}") else {
                problems.append(.error("E110", "unterminated '${' in a value", at: place(i, chars.count - i),
                                       help: "write ${env:NAME} or ${env:NAME:-default}; a literal '$' needs no escaping unless followed by '{'"))
                literal.append(contentsOf: chars[i...])
                break
            }
            let inner = String(chars[(i + 2)..<close])
            let length = close - i + 1
            guard inner.hasPrefix("env:") else {
                problems.append(.error("E110", "'${\(inner)}' is not an environment reference", at: place(i, length),
                                       help: "write ${env:NAME} or ${env:NAME:-default}"))
                i = close + 1
                continue
            }
            let body = inner.dropFirst(4)
            let name: Substring
            var fallback: String?
            if let sep = body.range(of: ":-") {
                name = body[..<sep.lowerBound]
                fallback = String(body[sep.upperBound...])
            } else {
                name = body
            }
            if !NamePatterns.isEnvName(String(name)) {
                let shown = name.isEmpty ? "an empty name" : "'\(name)'"
                problems.append(.error("E110", "malformed environment reference '${\(inner)}': \(shown) is not a variable name",
                                       at: place(i, length), help: "names are letters, digits and underscores, e.g. ${env:CLICKHOUSE_URL}"))
                i = close + 1
                continue
            }
            if !literal.isEmpty { segments.append(.literal(literal)); literal = "" }
            segments.append(.env(name: String(name), defaultValue: fallback))
            i = close + 1
        }
        if !literal.isEmpty || segments.isEmpty { segments.append(.literal(literal)) }
        return (segments, problems)
    }
}
