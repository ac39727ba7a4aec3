import PipecDiagnostics

/// W702: SQL that reads a table this pipeline produces by its bare name (`FROM silver.orders`) instead of
/// `{{ ref('silver.orders') }}`. Such a read gives no dependency and no lineage, so the table may be read before it
/// is built (SPEC.md, Lineage).
///
/// The template's own text is scanned, outside `{{ }}`, `{% %}`, `{# #}`, string literals and comments, for a
/// name right after FROM or JOIN that equals a produced table's spec name.
enum BareTableReads {
    static func check(_ pipeline: Pipeline) -> [Diagnostic] {
        var produced = Set<String>()
        for t in pipeline.tables where !t.external && (t.build != nil || t.viewSQL != nil) { produced.insert(t.name.value.lowercased()) }
        for t in pipeline.tasks { if case .load(let l) = t.body { produced.insert(l.into.value.lowercased()) } }
        guard !produced.isEmpty else { return [] }
        var out: [Diagnostic] = []
        for t in pipeline.tables where !t.external {
            if let sql = t.build?.sql ?? t.viewSQL { out += scan(sql, produced: produced, own: t.name.value.lowercased()) }
        }
        for t in pipeline.tasks {
            for sql in sqlTexts(t.body) { out += scan(sql, produced: produced, own: nil) }
        }
        return out
    }

    private static func sqlTexts(_ body: TaskBody) -> [TemplateText] {
        switch body {
        case .sql(let q): return [q.sql]
        case .load(let l): if case .query(let q) = l.source { return [q.sql] } else { return [] }
        case .export(let e): if case .query(let q) = e.source { return [q.sql] } else { return [] }
        case .sensor(let s): if case .sql(let q) = s.condition { return [q.sql] } else { return [] }
        case .check(let rule, _):
            switch rule {
            case .compare(let l, let r, _): return [l.sql, r.sql]
            case .query(let q): return [q.sql]
            }
        case .notify: return []
        }
    }

    /// Warnings for one SQL template.
    static func scan(_ text: TemplateText, produced: Set<String>, own: String?) -> [Diagnostic] {
        let chars = Array(text.text.unicodeScalars)
        var out: [Diagnostic] = []
        var previous = ""
        // The word before `previous`: `DELETE FROM t` writes t, it does not read it.
        var beforePrevious = ""
        var i = 0
        func skip(until end: String) {
            let e = Array(end.unicodeScalars)
            while i < chars.count {
                if chars[i] == e[0], i + e.count <= chars.count, Array(chars[i..<(i + e.count)]) == e { i += e.count; return }
                i += 1
            }
        }
        while i < chars.count {
            let c = chars[i]
            let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "{" && next == "{" { i += 2; skip(until: "}}"); previous = ""; continue }
            if c == "{" && next == "%" { i += 2; skip(until: "%}"); continue }
            if c == "{" && next == "#" { i += 2; skip(until: "#}"); continue }
            if c == "-" && next == "-" { i += 2; skip(until: "\n"); continue }
            if c == "/" && next == "*" { i += 2; skip(until: "*/"); continue }
            if c == "'" { i += 1; skip(until: "'"); previous = ""; continue }
            if isWord(c) {
                let start = i
                while i < chars.count, isWord(chars[i]) || chars[i] == "." { i += 1 }
                let word = String(String.UnicodeScalarView(chars[start..<i]))
                let lower = word.lowercased()
                let reads = previous == "join" || (previous == "from" && beforePrevious != "delete")
                if reads, produced.contains(lower), lower != own {
                    out.append(.warning("W702", "SQL reads '\(word)' by its bare name, but this pipeline produces it: without ref() it gets no dependency or lineage",
                                        at: location(of: start, length: i - start, in: text, chars: chars),
                                        help: "write {{ ref('\(word)') }}"))
                }
                beforePrevious = previous
                previous = lower
                continue
            }
            if !c.properties.isWhitespace { previous = "" }
            i += 1
        }
        return out
    }

    private static func isWord(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || ("0"..."9").contains(c)
    }

    /// The token's place in the file: lines after the first are shifted by the text's indent (block scalars).
    private static func location(of offset: Int, length: Int, in text: TemplateText, chars: [Unicode.Scalar]) -> SourceLocation {
        var line = text.origin.line
        var lineStart = 0
        for j in 0..<offset where chars[j] == "\n" {
            line += 1
            lineStart = j + 1
        }
        let column = line == text.origin.line ? text.origin.column + offset : text.origin.indent + 1 + (offset - lineStart)
        return SourceLocation(file: text.origin.file, line: line, column: column, length: length)
    }
}
