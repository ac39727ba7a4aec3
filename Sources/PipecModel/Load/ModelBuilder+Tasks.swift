import PipecDiagnostics
import PipecSyntax

extension ModelBuilder {
    mutating func task(_ e: ForEachExpansion.Expanded, defaults: RunPolicy) -> Task? {
        let value = e.value
        guard let name = located(e.key), let kindText = value["kind"]?.text, let kind = TaskKind(rawValue: kindText),
              let body = taskBody(kind, value) else { return nil }
        return Task(name: name, body: body, group: located(value["group"]), after: names(value["after"]), reads: names(value["reads"]),
                    writes: names(value["writes"]), policy: policy(value, base: defaults), when: template(value["when"], allowPath: false),
                    description: text(value["description"]), item: e.item)
    }

    private mutating func taskBody(_ kind: TaskKind, _ value: Node) -> TaskBody? {
        switch kind {
        case .sql:
            return query(value, sqlKey: "sql").map(TaskBody.sql)
        case .load:
            guard let from = value["from"], let into = located(value["into"]) else { return nil }
            let source: LoadSource
            if let h = from["http"], let request = httpRequest(h) {
                source = .http(request, format: format(h["format"]), header: bool(h["header"]) ?? true, delimiter: text(h["delimiter"]))
            } else if let o = from["object"], let object = objectRef(o) {
                source = .object(object)
            } else if let q = from["query"], let query = query(q, sqlKey: "sql") {
                source = .query(query)
            } else {
                return nil
            }
            let strategy = located(value["strategy"]).flatMap { l in Strategy(rawValue: l.value).map { Located($0, at: l.location) } }
            return .load(LoadTask(source: source, into: into, strategy: strategy, intervalColumn: located(value["interval_column"]),
                                  chunkRows: int(value["chunk_rows"]) ?? 50_000,
                                  onBadRows: value["on_bad_rows"]?.text.flatMap(BadRowsPolicy.init(rawValue:)) ?? .fail))
        case .export:
            guard let from = value["from"], let to = value["to"], let target = objectRef(to) else { return nil }
            let source: ExportSource
            if let t = located(from["table"]) {
                source = .table(t, where: template(from["where"], allowPath: false))
            } else if let q = from["query"], let query = query(q, sqlKey: "sql") {
                source = .query(query)
            } else {
                return nil
            }
            return .export(ExportTask(source: source, target: target, partitionBy: to["partition_by"]?.items?.compactMap(\.text) ?? []))
        case .sensor:
            let condition: SensorCondition
            if let h = value["http"], let request = httpRequest(h) {
                condition = .http(request)
            } else if let o = value["object"], let on = located(o["on"]) {
                if let key = template(o["key"], allowPath: false) {
                    condition = .objectKey(resource: on, key: key)
                } else if let prefix = template(o["prefix"], allowPath: false) {
                    condition = .objectPrefix(resource: on, prefix: prefix)
                } else {
                    return nil
                }
            } else if let s = value["sql"], let q = query(s, sqlKey: "query") {
                condition = .sql(q)
            } else if let p = value["pipeline"], let name = located(p["name"]) {
                condition = .pipeline(name: name, task: located(p["task"]))
            } else {
                return nil
            }
            return .sensor(SensorTask(condition: condition, pokeIntervalMilliseconds: duration(value["poke_interval"], field: "poke_interval") ?? 60_000,
                                      softFail: bool(value["soft_fail"]) ?? false))
        case .check:
            let severity = value["severity"]?.text.flatMap(CheckSeverity.init(rawValue:)) ?? .error
            if let c = value["compare"], let l = c["left"], let r = c["right"],
               let left = query(l, sqlKey: "sql"), let right = query(r, sqlKey: "sql") {
                let tolerance = c["tolerance"]?.text.flatMap(Double.init) ?? 0
                return .check(.compare(left: left, right: right, tolerance: tolerance), severity: severity)
            }
            if let s = value["sql"], let q = query(s, sqlKey: "query") {
                return .check(.query(q), severity: severity)
            }
            return nil
        case .notify:
            guard let on = located(value["on"]), let message = template(value["message"], allowPath: false) else { return nil }
            return .notify(resource: on, message: message, subject: template(value["subject"], allowPath: false))
        }
    }

    private mutating func query(_ node: Node, sqlKey: String) -> QueryRef? {
        guard let on = located(node["on"]), let sql = template(node[sqlKey]) else { return nil }
        return QueryRef(resource: on, sql: sql)
    }

    private mutating func httpRequest(_ node: Node) -> HTTPRequest? {
        guard let on = located(node["on"]), let path = template(node["path"], allowPath: false) else { return nil }
        let until = node["until"]
        return HTTPRequest(resource: on, path: path, method: text(node["method"]) ?? "GET", query: keyedTemplates(node["query"]),
                           headers: keyedTemplates(node["headers"]), body: template(node["body"], allowPath: false),
                           untilStatus: int(until?["status"]), untilHeader: text(until?["header"]),
                           pokeIntervalMilliseconds: duration(node["poke_interval"], field: "poke_interval"))
    }

    private mutating func objectRef(_ node: Node) -> ObjectRef? {
        guard let on = located(node["on"]), let key = template(node["key"], allowPath: false) else { return nil }
        let keyText = key.text.lowercased()
        let compression = node["compression"]?.text.flatMap(Compression.init(rawValue:)) ?? (keyText.hasSuffix(".gz") ? .gzip : Compression.none)
        return ObjectRef(resource: on, key: key, format: format(node["format"], key: keyText), header: bool(node["header"]) ?? true,
                         delimiter: text(node["delimiter"]), compression: compression)
    }

    /// The format written, else the one the key's extension names, else CSV.
    private func format(_ node: Node?, key: String = "") -> FileFormat {
        if let f = node?.text.flatMap(FileFormat.init(rawValue:)) { return f }
        let k = key.hasSuffix(".gz") ? String(key.dropLast(3)) : key
        if k.hasSuffix(".parquet") { return .parquet }
        if k.hasSuffix(".tsv") { return .tsv }
        if k.hasSuffix(".jsonl") || k.hasSuffix(".ndjson") { return .jsonl }
        return .csv
    }
}
