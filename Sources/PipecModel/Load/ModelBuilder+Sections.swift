import PipecDiagnostics
import PipecSchedule
import PipecSyntax

extension ModelBuilder {
    mutating func schedule(_ node: Node?) -> ScheduleSpec? {
        guard let node, node.entries != nil else { return nil }
        var zone = Zone.utc
        if let tzNode = node["timezone"], let name = tzNode.text {
            if let z = Zone(identifier: name) {
                zone = z
            } else {
                diagnostics.append(.error("E405", "unknown time zone '\(name)'", at: tzNode.location,
                                          help: DidYouMean.help(name, from: ["UTC", "Europe/Amsterdam", "Europe/Berlin", "Europe/London", "Europe/Moscow",
                                                                             "America/New_York", "America/Chicago", "America/Los_Angeles", "Asia/Tokyo"])
                                              ?? "use an IANA name such as Europe/Amsterdam or UTC"))
            }
        }
        let semantics = node["semantics"]?.text.flatMap(ScheduleSemantics.init(rawValue:)) ?? .airflow2
        let start = timestamp(node["start"], field: "start", zone: zone)
        let end = timestamp(node["end"], field: "end", zone: zone)
        if let start, let end, end < start {
            diagnostics.append(.error("E404", "the schedule ends (\(end)) before it starts (\(start))", at: node["end"]!.location,
                                      notes: [DiagnosticNote("start is here", at: node["start"]!.location)]))
        }
        var kind = ScheduleKind.manual
        let cronNode = node["cron"]
        if let cronNode, let text = cronNode.text {
            if text.trimmingCharacters(in: .whitespaces) == "@once" {
                kind = .once
            } else {
                switch CronExpression.parse(text) {
                case .success(let cron): kind = .cron(cron)
                case .failure(let e):
                    diagnostics.append(.error("E401", e.message, at: place(in: cronNode, offset: e.column, length: e.length),
                                              help: "cron has 5 fields: minute hour day-of-month month day-of-week (or @hourly, @daily, @weekly, @monthly, @yearly, @once)"))
                }
            }
        }
        if case .once = kind, start == nil {
            diagnostics.append(.error("E102", "an @once schedule needs 'start'", at: cronNode?.location ?? node.location))
        }
        let catchup = bool(node["catchup"]) ?? false
        let schedule = Schedule(kind: kind, start: start, end: end, zone: zone, semantics: semantics, catchup: catchup)
        return ScheduleSpec(schedule: schedule, cronText: located(cronNode), maxActiveRuns: int(node["max_active_runs"]) ?? 1, location: node.location)
    }

    mutating func policy(_ node: Node?, base: RunPolicy) -> RunPolicy {
        var p = base
        guard let node else { return p }
        if let v = int(node["retries"]) { p.retries = v }
        if let v = duration(node["retry_delay"], field: "retry_delay") { p.retryDelayMilliseconds = v }
        if let v = node["retry_backoff"]?.text.flatMap(RetryBackoff.init(rawValue:)) { p.retryBackoff = v }
        if let v = duration(node["max_retry_delay"], field: "max_retry_delay") { p.maxRetryDelayMilliseconds = v }
        if let v = duration(node["timeout"], field: "timeout") { p.timeoutMilliseconds = v }
        if let v = located(node["pool"]) { p.pool = v }
        if let v = bool(node["depends_on_past"]) { p.dependsOnPast = v }
        if let v = node["trigger_rule"]?.text.flatMap(TriggerRule.init(rawValue:)) { p.triggerRule = v }
        return p
    }

    /// Keys whose values are secrets on every resource kind; a webhook's `url` is one too (Slack's carry a token).
    static let secretKeys: Set<String> = ["password", "secret_key", "token"]

    mutating func resource(key: Node, value: Node) -> Resource? {
        guard let name = located(key), let kind = value["kind"]?.text.flatMap(ResourceKind.init(rawValue:)) else { return nil }
        let extraSecrets = Set(value["secret_keys"]?.items?.compactMap(\.text) ?? [])
        var settings: [String: ConfigValue] = [:]
        var headers: [(String, ConfigValue)] = []
        var recipients: [ConfigValue] = []
        for entry in value.entries ?? .empty {
            guard let k = entry.key.text, k != "kind", k != "description", k != "secret_keys" else { continue }
            if k == "headers" {
                for h in entry.value.entries ?? .empty {
                    if let hk = h.key.text, let v = config(h.value, key: hk, secret: true, owner: name.value) { headers.append((hk, v)) }
                }
            } else if k == "to", let items = entry.value.items {
                recipients = items.compactMap { config($0, key: "to", secret: false, owner: name.value) }
            } else if entry.value.scalar != nil {
                if let v = config(entry.value, key: k, secret: Self.secretKeys.contains(k) || extraSecrets.contains(k) || (kind == .webhook && k == "url"), owner: name.value) { settings[k] = v }
            }
        }
        return Resource(name: name, kind: kind, description: text(value["description"]), settings: settings, headers: headers, recipients: recipients)
    }

    /// A table's keys, read in one pass (10,000-table specs have one mapping like this per table).
    private static let tableKeys = KeyTable(["on", "kind", "columns", "build", "checks", "description", "engine", "partition_by", "order_by",
                                             "primary_key", "staging", "external", "sql", "on_bad_rows", "group", "after"])
    private static let buildKeys = KeyTable(["sql", "strategy", "interval_column", "tracked_columns", "valid_from", "valid_to", "is_current",
                                             "version_column"])

    mutating func table(_ e: ForEachExpansion.Expanded) -> Table? {
        let v = Self.tableKeys.values(in: e.value)
        let (onNode, kindNode, columnsNode, buildNode, checksNode, descriptionNode, engineNode, partitionNode) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7])
        let (orderNode, keyNode, stagingNode, externalNode, sqlNode, badRowsNode, groupNode, afterNode) = (v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15])
        guard let name = located(e.key), let on = located(onNode) else { return nil }
        let kind = kindNode?.text.flatMap(TableKind.init(rawValue:)) ?? .table
        var columns: [Column] = []
        if let entries = columnsNode?.entries {
            columns.reserveCapacity(entries.count)
            for c in entries {
                guard let cname = located(c.key) else { continue }
                if let t = located(c.value) {
                    columns.append(Column(name: cname, type: t, nullable: nil, description: nil, pii: false, defaultExpression: nil))
                } else if c.value.entries != nil, let t = located(c.value["type"]) {
                    columns.append(Column(name: cname, type: t, nullable: bool(c.value["nullable"]), description: text(c.value["description"]),
                                          pii: bool(c.value["pii"]) ?? false, defaultExpression: text(c.value["default"])))
                }
            }
        }
        var build: Build?
        if let b = buildNode, b.entries != nil {
            let w = Self.buildKeys.values(in: b)
            if let sql = template(w[0]) {
                let strategy = located(w[1]).flatMap { l in Strategy(rawValue: l.value).map { Located($0, at: l.location) } }
                    ?? Located(.full, at: b.location)
                build = Build(sql: sql, strategy: strategy, intervalColumn: located(w[2]), trackedColumns: names(w[3]),
                              validFrom: text(w[4]) ?? "valid_from", validTo: text(w[5]) ?? "valid_to",
                              isCurrent: text(w[6]) ?? "is_current", versionColumn: located(w[7]))
            }
        }
        let checks = (checksNode?.items ?? .empty).compactMap { check($0) }
        var table = Table(name: name, resource: on, kind: kind, description: text(descriptionNode), columns: columns,
                     engine: located(engineNode), partitionBy: located(partitionNode), orderBy: names(orderNode),
                     primaryKey: names(keyNode), staging: bool(stagingNode) ?? false, external: bool(externalNode) ?? false,
                     build: build, viewSQL: template(sqlNode), checks: checks,
                     onBadRows: badRowsNode?.text.flatMap(BadRowsPolicy.init(rawValue:)) ?? .fail,
                     group: located(groupNode), after: names(afterNode), item: e.item)
        table.flagsUnknown = [stagingNode, externalNode].contains { node in node.map { !($0.scalar?.isNull ?? false) && bool($0) == nil } ?? false }
        return table
    }

    mutating func check(_ node: Node) -> Check? {
        guard node.entries != nil else { return nil }
        let severity = node["severity"]?.text.flatMap(CheckSeverity.init(rawValue:)) ?? .error
        let rule: CheckRule
        if let n = node["not_null"] {
            rule = .notNull(names(n))
        } else if let n = node["unique"] {
            rule = .unique(names(n))
        } else if let n = node["accepted_values"], let column = located(n["column"]) {
            rule = .acceptedValues(column: column, values: n["values"]?.items?.compactMap(\.text) ?? [])
        } else if let n = node["row_count"] {
            rule = .rowCount(min: int(n["min"]), max: int(n["max"]))
        } else if let n = node["expression"], let t = template(n, allowPath: false) {
            rule = .expression(t)
        } else if let n = node["freshness"], let column = located(n["column"]), let age = duration(n["max_age"], field: "max_age") {
            rule = .freshness(column: column, maxAgeMilliseconds: age)
        } else {
            return nil
        }
        return Check(rule: rule, severity: severity, description: text(node["description"]), location: node.location)
    }

    mutating func group(_ e: ForEachExpansion.Expanded) -> Group? {
        guard let name = located(e.key) else { return nil }
        return Group(name: name, description: text(e.value["description"]), after: names(e.value["after"]),
                     sequential: bool(e.value["sequential"]) ?? false, family: e.family, item: e.item)
    }
}
