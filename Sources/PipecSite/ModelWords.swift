import PipecModel
import PipecSchedule

/// Short descriptions of model values for the pages: a check's rule, a task's source and target. Plain text; the
/// page escapes it.
enum ModelWords {
    static func duration(_ milliseconds: Int64) -> String { SpecDuration(milliseconds: milliseconds).description }

    /// The rule's arguments, e.g. `order_id, customer_id` or `country in DE, FR`.
    static func rule(_ rule: CheckRule) -> String {
        switch rule {
        case .notNull(let columns), .unique(let columns): return columns.map(\.value).joined(separator: ", ")
        case .acceptedValues(let column, let values): return "\(column.value) in \(values.joined(separator: ", "))"
        case .rowCount(let min, let max):
            return [min.map { "at least \($0)" }, max.map { "at most \($0)" }].compactMap { $0 }.joined(separator: ", ") + " rows"
        case .expression(let text): return text.text
        case .freshness(let column, let age): return "newest \(column.value) at most \(duration(age)) old"
        }
    }

    static func object(_ ref: ObjectRef) -> String {
        "\(ref.resource.value): \(ref.key.text) (\(ref.format.rawValue)\(ref.compression == .gzip ? ", gzip" : ""))"
    }

    static func request(_ r: HTTPRequest) -> String { "\(r.method) \(r.resource.value): \(r.path.text)" }

    /// Where a task reads from, in words; `tables` collects the tables it names (for links).
    static func source(_ task: Task) -> String {
        switch task.body {
        case .sql(let q): return "SQL on \(q.resource.value)"
        case .load(let load):
            switch load.source {
            case .http(let r, let format, _, _): return request(r) + " (\(format.rawValue))"
            case .object(let ref): return object(ref)
            case .query(let q): return "a query on \(q.resource.value)"
            }
        case .export(let export):
            switch export.source {
            case .table(let table, let filter): return "table \(table.value)" + (filter.map { " where \($0.text)" } ?? "")
            case .query(let q): return "a query on \(q.resource.value)"
            }
        case .sensor(let sensor):
            switch sensor.condition {
            case .http(let r): return "waits for " + request(r)
            case .objectKey(let resource, let key): return "waits for object \(resource.value): \(key.text)"
            case .objectPrefix(let resource, let prefix): return "waits for objects under \(resource.value): \(prefix.text)"
            case .sql(let q): return "waits for a query on \(q.resource.value) to return a true row"
            case .pipeline(let name, let task): return "waits for pipeline \(name.value)" + (task.map { " task \($0.value)" } ?? "")
            }
        case .check(let rule, let severity):
            switch rule {
            case .compare(let left, let right, let tolerance):
                return "compares a query on \(left.resource.value) with one on \(right.resource.value) (tolerance \(tolerance), \(severity.rawValue))"
            case .query(let q): return "a query on \(q.resource.value) (\(severity.rawValue))"
            }
        case .notify(let resource, _, _): return "notifies \(resource.value)"
        }
    }

    /// Where a task writes to, in words (nil when it writes nothing).
    static func target(_ task: Task) -> String? {
        switch task.body {
        case .load(let load):
            var out = "table \(load.into.value)"
            if let s = load.strategy { out += ", strategy \(s.value.rawValue)" }
            if let c = load.intervalColumn { out += ", interval column \(c.value)" }
            return out + ", bad rows: \(load.onBadRows.rawValue)"
        case .export(let export):
            return object(export.target) + (export.partitionBy.isEmpty ? "" : ", partitioned by \(export.partitionBy.joined(separator: ", "))")
        case .sql, .sensor, .check, .notify:
            return task.writes.isEmpty ? nil : task.writes.map(\.value).joined(separator: ", ")
        }
    }

    /// The texts a task runs, as written (SQL, paths, bodies), labelled.
    static func templates(_ task: Task) -> [(String, String)] {
        func query(_ label: String, _ q: QueryRef) -> (String, String) { (label, q.sql.text) }
        switch task.body {
        case .sql(let q): return [query("sql", q)]
        case .load(let load):
            switch load.source {
            case .http(let r, _, _, _): return [("path", r.path.text)] + (r.body.map { [("body", $0.text)] } ?? [])
            case .object(let ref): return [("key", ref.key.text)]
            case .query(let q): return [query("query", q)]
            }
        case .export(let export):
            var out: [(String, String)] = []
            switch export.source {
            case .table(_, let filter): if let filter { out.append(("where", filter.text)) }
            case .query(let q): out.append(query("query", q))
            }
            return out + [("key", export.target.key.text)]
        case .sensor(let sensor):
            switch sensor.condition {
            case .http(let r): return [("path", r.path.text)]
            case .objectKey(_, let key): return [("key", key.text)]
            case .objectPrefix(_, let prefix): return [("prefix", prefix.text)]
            case .sql(let q): return [query("sql", q)]
            case .pipeline: return []
            }
        case .check(let rule, _):
            switch rule {
            case .compare(let left, let right, _): return [query("left", left), query("right", right)]
            case .query(let q): return [query("query", q)]
            }
        case .notify(_, let message, let subject): return (subject.map { [("subject", $0.text)] } ?? []) + [("message", message.text)]
        }
    }
}
