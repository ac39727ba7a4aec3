import PipecDiagnostics

/// Finds what a template reads without rendering it: `ref('t')`, `source('t')` and `tasks.NAME` uses inside
/// `{{ }}` and `{% %}`. Lineage and dependency edges come from here, so they exist even for specs whose templates
/// cannot be rendered yet.
enum TemplateScan {
    struct Use: Hashable {
        var name: String
        var location: SourceLocation
    }

    /// Every `function('literal')` call inside template code.
    static func calls(_ function: String, in text: TemplateText) -> [Use] {
        var uses: [Use] = []
        forEachCodeRange(text.text) { code, offset in
            var i = code.startIndex
            while let r = code[i...].range(of: function + "(") {
                i = r.upperBound
                if r.lowerBound > code.startIndex {
                    let before = code[code.index(before: r.lowerBound)]
                    if before.isLetter || before.isNumber || before == "_" || before == "." { continue }
                }
                var j = r.upperBound
                while j < code.endIndex, code[j] == " " { j = code.index(after: j) }
                guard j < code.endIndex, code[j] == "'" || code[j] == "\"" else { continue }
                let quote = code[j]
                let start = code.index(after: j)
                guard let end = code[start...].firstIndex(of: quote) else { continue }
                let name = String(code[start..<end])
                let at = offset + code.distance(from: code.startIndex, to: r.lowerBound)
                uses.append(Use(name: name, location: location(of: at, length: code.distance(from: r.lowerBound, to: end) + 2, in: text)))
            }
        }
        return uses
    }

    /// Every `tasks.NAME` (or `tasks['NAME']`) inside template code.
    static func taskOutputs(in text: TemplateText) -> [Use] {
        var uses: [Use] = []
        forEachCodeRange(text.text) { code, offset in
            var i = code.startIndex
            while let r = code[i...].range(of: "tasks") {
                i = r.upperBound
                if r.lowerBound > code.startIndex {
                    let before = code[code.index(before: r.lowerBound)]
                    if before.isLetter || before.isNumber || before == "_" || before == "." { continue }
                }
                var j = r.upperBound
                var name = ""
                if j < code.endIndex, code[j] == "." {
                    j = code.index(after: j)
                    while j < code.endIndex, code[j].isLetter || code[j].isNumber || code[j] == "_" { name.append(code[j]); j = code.index(after: j) }
                } else if j < code.endIndex, code[j] == "[" {
                    j = code.index(after: j)
                    guard j < code.endIndex, code[j] == "'" || code[j] == "\"" else { continue }
                    let quote = code[j]
                    j = code.index(after: j)
                    while j < code.endIndex, code[j] != quote { name.append(code[j]); j = code.index(after: j) }
                }
                guard !name.isEmpty else { continue }
                let at = offset + code.distance(from: code.startIndex, to: r.lowerBound)
                uses.append(Use(name: name, location: location(of: at, length: code.distance(from: r.lowerBound, to: j), in: text)))
            }
        }
        return uses
    }

    /// Calls `body` with each `{{ ... }}` / `{% ... %}` body and its character offset in the text.
    private static func forEachCodeRange(_ text: String, _ body: (Substring, Int) -> Void) {
        var i = text.startIndex
        while let open = text[i...].range(of: "{") {
            let next = open.upperBound
            guard next < text.endIndex, text[next] == "{" || text[next] == "%" || text[next] == "#" else {
                i = open.upperBound
                continue
            }
            let closer = text[next] == "{" ? "}}" : text[next] == "%" ? "%}" : "#}"
            guard let close = text[next...].range(of: closer) else { return }
            if text[next] != "#" {
                let code = text[text.index(after: next)..<close.lowerBound]
                body(code, text.distance(from: text.startIndex, to: text.index(after: next)))
            }
            i = close.upperBound
        }
    }

    /// Maps a character offset in the template to its place in the file, via the template's origin.
    static func location(of offset: Int, length: Int, in text: TemplateText) -> SourceLocation {
        var line = 0, column = 0, seen = 0
        for c in text.text {
            if seen == offset { break }
            if c == "\n" { line += 1; column = 0 } else { column += 1 }
            seen += 1
        }
        let o = text.origin
        let fileColumn = line == 0 ? o.column + column : o.indent + 1 + column
        return SourceLocation(file: o.file, line: o.line + line, column: fileColumn, length: max(1, length))
    }
}
