/// Names external assets the way a spec's `lineage:` entries do — `<resource>:<path or key template>`, e.g.
/// `appmetrica:/logs/v1/export/installations.csv` or `lake:gold/dt={{ ds }}/part.csv` — so that an asset a task
/// derives and the same asset written in `lineage:` become one node.
enum AssetID {
    /// The id of the asset at `text` (a path, key or prefix template) on `resource`. Inside a `for_each` copy,
    /// `{{ item.key }}` and `{{ item.NAME }}` are replaced by the copy's values: they are fixed when the spec is
    /// expanded, so the copy's asset is as concrete as the person writing `lineage:` would name it. Everything else
    /// (`{{ ds }}`, `{{ params.x }}`, which vary per run or with `--param`) stays as written.
    static func make(resource: String, text: String, item: ForEachItem?) -> String {
        resource + ":" + (item.map { substitute($0, in: text) } ?? text)
    }

    /// Splits a declared asset id into its resource part, when there is one: the text before the first `:`.
    static func resourcePart(of id: String) -> String? {
        guard let colon = id.firstIndex(of: ":"), colon != id.startIndex else { return nil }
        return String(id[..<colon])
    }

    /// Replaces each `{{ item.NAME }}` expression (any spacing, `-` whitespace markers allowed) whose value is a
    /// scalar; other expressions are left untouched.
    static func substitute(_ item: ForEachItem, in text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out += rest[..<open.lowerBound]
            let expression = rest[open.upperBound..<close.lowerBound]
            if let value = value(of: expression, in: item) {
                out += value
            } else {
                out += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The value `expression` (the text between `{{` and `}}`) names when it is exactly `item.NAME`.
    private static func value(of expression: Substring, in item: ForEachItem) -> String? {
        var e = expression
        if e.hasPrefix("-") { e = e.dropFirst() }
        if e.hasSuffix("-") { e = e.dropLast() }
        let trimmed = e.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        let name = String(trimmed)
        guard name.hasPrefix("item.") else { return nil }
        let field = name.dropFirst("item.".count)
        guard !field.isEmpty, field.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        if field == "key" { return item.key }
        guard let entry = item.values.first(where: { $0.0 == field }), case .scalar(let text, _) = entry.1 else { return nil }
        return text
    }
}
