/// Every template a unit of work renders, in a fixed order (SQL first, then keys, messages and conditions).
public enum Templates {
    /// Calls `body` with every unit that has templates and its templates, in declaration order, without looking
    /// units up by name (which would copy them).
    public static func forEachUnit(in pipeline: Pipeline, _ body: (UnitID, [TemplateText]) -> Void) {
        // Tables are read field by field in place: passing one on would copy it whole (dozens of references).
        let tables = pipeline.tables
        for i in tables.indices where !tables[i].external {
            guard let sql = tables[i].build?.sql ?? tables[i].viewSQL else { continue }
            body(.table(tables[i].name.value), of(sql: sql, checks: tables[i].checks))
        }
        for t in pipeline.tasks { body(.task(t.name.value), of(t)) }
    }

    public static func of(_ unit: UnitID, in pipeline: Pipeline) -> [TemplateText] {
        switch unit {
        case .table(let name):
            guard let t = pipeline.table(name) else { return [] }
            return of(t)
        case .task(let name):
            guard let t = pipeline.task(name) else { return [] }
            return of(t)
        }
    }

    public static func of(_ table: Table) -> [TemplateText] {
        var out: [TemplateText] = []
        if let s = table.sql { out.append(s) }
        for c in table.checks { if case .expression(let e) = c.rule { out.append(e) } }
        return out
    }

    private static func of(sql: TemplateText, checks: [Check]) -> [TemplateText] {
        var out = [sql]
        for c in checks { if case .expression(let e) = c.rule { out.append(e) } }
        return out
    }

    public static func of(_ task: Task) -> [TemplateText] {
        var out: [TemplateText] = []
        func http(_ h: HTTPRequest) {
            out.append(h.path)
            out += h.query.map(\.value) + h.headers.map(\.value)
            if let b = h.body { out.append(b) }
        }
        switch task.body {
        case .sql(let q): out.append(q.sql)
        case .load(let l):
            switch l.source {
            case .http(let h, _, _, _): http(h)
            case .object(let o): out.append(o.key)
            case .query(let q): out.append(q.sql)
            }
        case .export(let e):
            switch e.source {
            case .table(_, let w): if let w { out.append(w) }
            case .query(let q): out.append(q.sql)
            }
            out.append(e.target.key)
        case .sensor(let s):
            switch s.condition {
            case .http(let h): http(h)
            case .objectKey(_, let k), .objectPrefix(_, let k): out.append(k)
            case .sql(let q): out.append(q.sql)
            case .pipeline: break
            }
        case .check(let rule, _):
            switch rule {
            case .compare(let l, let r, _): out += [l.sql, r.sql]
            case .query(let q): out.append(q.sql)
            }
        case .notify(_, let m, let s):
            out.append(m)
            if let s { out.append(s) }
        }
        if let w = task.when { out.append(w) }
        return out
    }
}
