import PipecDiagnostics

/// Checks that need the whole model: names refer to things that exist and fit, strategies have what they need,
/// column types suit their dialect, and the dependency graph has no cycles.
struct SemanticChecker {
    let pipeline: Pipeline
    private(set) var diagnostics: [Diagnostic] = []
    private var graph = GraphDraft(capacity: 0)

    init(pipeline: Pipeline) {
        self.pipeline = pipeline
    }

    mutating func run() {
        checkDuplicates()
        checkResources()
        checkTables()
        checkTasks()
        checkGroupsAndPools()
        let uses = TemplateUses.collect(pipeline)
        graph = GraphBuilder.draft(pipeline, uses: uses, diagnostics: &diagnostics)
        checkCycles()
        checkTaskOutputs(uses)
    }

    // MARK: names

    private mutating func checkDuplicates() {
        // Only names are read: indexing reads them in place, where `for t in tables` would copy every table.
        var seenTables: [String: SourceLocation] = [:]
        seenTables.reserveCapacity(pipeline.tables.count)
        for i in pipeline.tables.indices {
            let name = pipeline.tables[i].name
            if let first = seenTables.updateValue(name.location, forKey: name.value) {
                diagnostics.append(.error("E121", "table '\(name.value)' is declared twice", at: name.location,
                                          notes: [DiagnosticNote("first declared here", at: first)]))
            }
        }
        var seenTasks: [String: SourceLocation] = [:]
        for i in pipeline.tasks.indices {
            let name = pipeline.tasks[i].name
            if let first = seenTasks[name.value] {
                diagnostics.append(.error("E121", "task '\(name.value)' is declared twice (a for_each expansion may repeat a name)",
                                          at: name.location, notes: [DiagnosticNote("first declared here", at: first)]))
            }
            if let table = seenTables[name.value] {
                diagnostics.append(.error("E122", "'\(name.value)' names both a task and a table", at: name.location,
                                          notes: [DiagnosticNote("the table is declared here", at: table)],
                                          help: "rename the task; commands like 'pipec render' and '--only' take either name"))
            }
            seenTasks[name.value] = name.location
        }
    }

    /// Checks that `name` is a resource and, when `allowed` is given, of a fitting kind; its kind if it exists. Only
    /// the kind is read for a resource that is fine (every table names one).
    @discardableResult
    mutating func resource(_ name: Located<String>, for use: @autoclosure () -> String, allowed: (ResourceKind) -> Bool, expected: String) -> ResourceKind? {
        guard let kind = pipeline.resourceKind(name.value) else {
            diagnostics.append(.error("E201", "unknown resource '\(name.value)' (\(use()))", at: name.location,
                                      help: DidYouMean.help(name.value, from: pipeline.resources.map(\.name.value))
                                          ?? (pipeline.resources.isEmpty ? "declare it under resources:" : "resources: \(pipeline.resources.map(\.name.value).joined(separator: ", "))")))
            return nil
        }
        if !allowed(kind), let r = pipeline.resource(name.value) {
            diagnostics.append(.error("E206", "\(use()) needs \(expected), but '\(name.value)' is a \(kind.rawValue) resource", at: name.location,
                                      notes: [DiagnosticNote("'\(name.value)' is declared here", at: r.name.location)]))
        }
        return kind
    }

    private mutating func checkResources() {
        for name in pipeline.alerts.all {
            resource(name, for: "an alert", allowed: \.isAlertTarget, expected: "a webhook or email resource")
        }
        if let c = pipeline.catalog {
            resource(c.resource, for: "the catalog", allowed: { [.clickhouse, .postgres, .sqlite].contains($0) }, expected: "a clickhouse, postgres or sqlite resource")
        }
    }

    // MARK: tables

    private mutating func checkTables() {
        // Through a buffer pointer, whose elements are lent in place: `for table in`, or passing `tables[i]`, copied
        // every table (dozens of references) and destroyed the copy.
        pipeline.tables.withUnsafeBufferPointer { tables in
            for i in tables.indices { checkTable(tables[i]) }
        }
    }

    private mutating func checkTable(_ table: Table) {
        let r = resource(table.resource, for: "table '\(table.name.value)'", allowed: \.isDatabase, expected: "a database resource")
        let dialect = r?.dialect
        checkTableShape(table, dialect: dialect)
        // External tables are never created by pipec: their types document a source (a CrateDB OBJECT, say).
        if let dialect, !table.external {
            for c in table.columns {
                if let problem = ColumnTypes.problem(c.type.value, dialect: dialect) {
                    diagnostics.append(.error("E302", "column '\(c.name.value)' of '\(table.name.value)': \(problem.message)", at: c.type.location,
                                              help: problem.help))
                }
            }
        }
        if let build = table.build {
            checkStrategy(build.strategy, table: table, dialect: dialect, intervalColumn: build.intervalColumn,
                          tracked: build.trackedColumns, version: build.versionColumn)
        }
        checkColumnsNamed(table.primaryKey, in: table, what: "primary_key")
        // Expressions in order_by (`toYYYYMM(day)`) are not column names.
        checkColumnsNamed(table.orderBy, in: table, what: "order_by", only: { NamePatterns.isSQLName(Substring($0.value)) })
        for check in table.checks {
            checkColumnsNamed(check.rule.columns, in: table, what: "\(check.rule.name) check")
            if case .freshness(let c, _) = check.rule, let col = table.column(c.value), let d = dialect, !ColumnTypes.isTemporal(col.type.value, dialect: d) {
                diagnostics.append(.error("E304", "freshness needs a date or time column; '\(c.value)' is \(col.type.value)", at: c.location))
            }
            if case .rowCount(let min, let max) = check.rule, let min, let max, min > max {
                diagnostics.append(.error("E304", "row_count min (\(min)) is greater than max (\(max))", at: check.location))
            }
        }
    }

    private mutating func checkTableShape(_ table: Table, dialect: Dialect?) {
        let name = table.name.value
        if table.external && (table.build != nil || table.viewSQL != nil) {
            diagnostics.append(.error("E305", "external table '\(name)' is produced outside this pipeline and cannot have a build or sql",
                                      at: table.name.location))
        }
        if table.external && table.staging {
            diagnostics.append(.error("E305", "table '\(name)' cannot be both external and staging", at: table.name.location))
        }
        switch table.kind {
        case .view, .materializedView:
            if table.viewSQL == nil {
                diagnostics.append(.error("E102", "\(table.kind == .view ? "view" : "materialized view") '\(name)' is missing the required key 'sql'",
                                          at: table.name.location, help: "a view's rows come from its SELECT: add sql:"))
            }
            if table.build != nil {
                diagnostics.append(.error("E305", "'\(name)' is a \(table.kind.rawValue); views take 'sql', not 'build'", at: table.name.location))
            }
            if table.kind == .materializedView, dialect == .sqlite || dialect == .athena {
                diagnostics.append(.error("E301", "\(dialect!.rawValue) has no materialized views ('\(name)')", at: table.name.location))
            }
        case .table:
            if table.viewSQL != nil {
                diagnostics.append(.error("E305", "table '\(name)' has 'sql'; a table's rows come from 'build: {sql: ...}'", at: table.name.location,
                                          help: "move it under build:, or set kind: view"))
            }
            if table.columns.isEmpty {
                diagnostics.append(.error("E306", "table '\(name)' declares no columns", at: table.name.location,
                                          help: "list its columns and types under columns:"))
            }
        }
        guard let dialect else { return }
        if dialect != .clickhouse {
            if let e = table.engine {
                diagnostics.append(.error("E301", "'engine' is a ClickHouse option; '\(name)' is on a \(dialect.rawValue) resource", at: e.location))
            }
            if let o = table.orderBy.first {
                diagnostics.append(.error("E301", "'order_by' is a ClickHouse option; '\(name)' is on a \(dialect.rawValue) resource", at: o.location,
                                          help: dialect == .postgres ? "PostgreSQL tables take primary_key (and partition_by for range partitioning)" : nil))
            }
            if let p = table.partitionBy, dialect != .postgres, dialect != .athena {
                diagnostics.append(.error("E301", "'partition_by' is not supported on \(dialect.rawValue) tables", at: p.location))
            }
        } else if let e = table.engine {
            let engineName = Self.engineName(e.value)
            if !Self.clickHouseEngines.contains(engineName) {
                diagnostics.append(.error("E301", "unknown ClickHouse engine '\(engineName)'", at: e.location,
                                          help: DidYouMean.help(engineName, from: Self.clickHouseEngines)))
            }
        }
    }

    /// The engine without its parameters: the leading letters and digits (`ReplacingMergeTree(version)`).
    static func engineName(_ engine: String) -> String {
        // Bytes while they are ASCII letters and digits, which is every real engine name; characters otherwise.
        func isAlphanumeric(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        let utf8 = engine.utf8
        var end = utf8.startIndex
        while end < utf8.endIndex, isAlphanumeric(utf8[end]) { end = utf8.index(after: end) }
        if end == utf8.endIndex || utf8[end] < 0x80 { return String(engine[..<end]) }
        return String(engine.prefix { $0.isLetter || $0.isNumber })
    }

    static let clickHouseEngines = [
        "MergeTree", "ReplacingMergeTree", "SummingMergeTree", "AggregatingMergeTree", "CollapsingMergeTree",
        "VersionedCollapsingMergeTree", "GraphiteMergeTree", "ReplicatedMergeTree", "ReplicatedReplacingMergeTree",
        "ReplicatedSummingMergeTree", "ReplicatedAggregatingMergeTree", "ReplicatedCollapsingMergeTree", "Log", "TinyLog",
        "StripeLog", "Memory", "Null", "Distributed", "Buffer", "Join", "Set", "File", "URL", "Merge",
    ]

    private mutating func checkColumnsNamed(_ names: [Located<String>], in table: Table, what: @autoclosure () -> String,
                                            only: (Located<String>) -> Bool = { _ in true }) {
        guard !table.columns.isEmpty else { return }
        for n in names where only(n) && !table.hasColumn(n.value) {
            diagnostics.append(.error("E304", "\(what()) names unknown column '\(n.value)' of '\(table.name.value)'", at: n.location,
                                      help: DidYouMean.help(n.value, from: table.columns.map(\.name.value))))
        }
    }

    /// What each strategy needs to be idempotent and atomic per interval.
    mutating func checkStrategy(_ strategy: Located<Strategy>, table: Table, dialect: Dialect?, intervalColumn: Located<String>?,
                                tracked: [Located<String>], version: Located<String>?) {
        let name = table.name.value
        switch strategy.value {
        case .full:
            break
        case .append, .replaceInterval:
            if strategy.value == .append && (table.staging || table.flagsUnknown) { break }
            guard let column = intervalColumn else {
                diagnostics.append(.error("E303", "strategy \(strategy.value.rawValue) on '\(name)' needs 'interval_column'", at: strategy.location,
                                          help: "name the date/time column whose values fall in the interval, so a rerun replaces instead of duplicating"))
                return
            }
            if !table.columns.isEmpty {
                guard let col = table.column(column.value) else {
                    diagnostics.append(.error("E303", "interval_column '\(column.value)' is not a column of '\(name)'", at: column.location,
                                              help: DidYouMean.help(column.value, from: table.columns.map(\.name.value))))
                    return
                }
                // SQLite has no date type: ISO 8601 text is its documented convention, so TEXT (or untyped) works.
                let sqliteText = dialect == .sqlite && ColumnTypes.isSQLiteText(col.type.value)
                if let dialect, !sqliteText, !ColumnTypes.isTemporal(col.type.value, dialect: dialect) {
                    diagnostics.append(.error("E303", "interval_column '\(column.value)' must be a date or time column; it is \(col.type.value)",
                                              at: column.location, notes: [DiagnosticNote("declared here", at: col.type.location)],
                                              help: ColumnTypes.temporalHelp(dialect)))
                }
            }
        case .upsert, .scd2:
            if table.primaryKey.isEmpty && !(dialect == .clickhouse && !table.orderBy.isEmpty) {
                diagnostics.append(.error("E303", "strategy \(strategy.value.rawValue) on '\(name)' needs a primary_key", at: strategy.location,
                                          help: "add primary_key: [column, ...] to the table"))
            }
            if dialect == .clickhouse, strategy.value == .upsert {
                let engine = table.engine?.value ?? "MergeTree"
                if !engine.hasPrefix("ReplacingMergeTree") && !engine.hasPrefix("ReplicatedReplacingMergeTree") {
                    diagnostics.append(.error("E303", "upsert on ClickHouse table '\(name)' needs a ReplacingMergeTree engine", at: strategy.location,
                                              help: "set engine: ReplacingMergeTree(<version column>)"))
                }
            }
            if strategy.value == .scd2 {
                if tracked.isEmpty {
                    diagnostics.append(.error("E303", "strategy scd2 on '\(name)' needs 'tracked_columns'", at: strategy.location))
                }
                checkColumnsNamed(tracked, in: table, what: "tracked_columns")
                if let v = version { checkColumnsNamed([v], in: table, what: "version_column") }
            }
        }
    }

    // MARK: tasks

    private mutating func checkTasks() {
        let database: (ResourceKind) -> Bool = { $0.isDatabase }
        let objects: (ResourceKind) -> Bool = { $0.isObjectStore }
        for task in pipeline.tasks {
            let label = "task '\(task.name.value)'"
            switch task.body {
            case .sql(let q):
                resource(q.resource, for: label, allowed: database, expected: "a database resource")
            case .load(let load):
                switch load.source {
                case .http(let h, _, _, _): resource(h.resource, for: label, allowed: { $0 == .http }, expected: "an http resource")
                case .object(let o): resource(o.resource, for: label, allowed: objects, expected: "an s3 or file resource")
                case .query(let q): resource(q.resource, for: label, allowed: database, expected: "a database resource")
                }
                if let table = targetTable(load.into, for: label) {
                    if let strategy = load.strategy {
                        checkStrategy(strategy, table: table, dialect: pipeline.resourceKind(table.resource.value)?.dialect,
                                      intervalColumn: load.intervalColumn ?? table.build?.intervalColumn, tracked: table.build?.trackedColumns ?? [],
                                      version: table.build?.versionColumn)
                    }
                }
            case .export(let export):
                resource(export.target.resource, for: label, allowed: objects, expected: "an s3 or file resource")
                switch export.source {
                case .table(let t, _):
                    // SPEC.md: staging tables are "recreated empty at the start of each run, never exported".
                    if let table = knownTable(t, for: label), table.staging {
                        diagnostics.append(.error("E305", "\(label) exports '\(t.value)', which is a staging table (recreated empty each run, never exported)",
                                                  at: t.location, help: "export the table built from it, or drop 'staging: true'"))
                    }
                case .query(let q): resource(q.resource, for: label, allowed: database, expected: "a database resource")
                }
            case .sensor(let sensor):
                switch sensor.condition {
                case .http(let h): resource(h.resource, for: label, allowed: { $0 == .http }, expected: "an http resource")
                case .objectKey(let r, _), .objectPrefix(let r, _): resource(r, for: label, allowed: objects, expected: "an s3 or file resource")
                case .sql(let q): resource(q.resource, for: label, allowed: database, expected: "a database resource")
                case .pipeline: break
                }
            case .check(let rule, _):
                switch rule {
                case .compare(let l, let r, _):
                    resource(l.resource, for: label, allowed: database, expected: "a database resource")
                    resource(r.resource, for: label, allowed: database, expected: "a database resource")
                case .query(let q):
                    resource(q.resource, for: label, allowed: database, expected: "a database resource")
                }
            case .notify(let r, _, _):
                resource(r, for: label, allowed: \.isAlertTarget, expected: "a webhook or email resource")
            }
            for t in task.reads + task.writes { knownTable(t, for: label) }
        }
    }

    @discardableResult
    mutating func knownTable(_ name: Located<String>, for use: String) -> Table? {
        if let t = pipeline.table(name.value) { return t }
        diagnostics.append(.error("E202", "unknown table '\(name.value)' (\(use))", at: name.location,
                                  help: DidYouMean.help(name.value, from: pipeline.tables.map(\.name.value))))
        return nil
    }

    private mutating func targetTable(_ name: Located<String>, for use: String) -> Table? {
        guard let table = knownTable(name, for: use) else { return nil }
        if table.external {
            diagnostics.append(.error("E305", "\(use) loads into '\(name.value)', which is external (produced outside this pipeline)", at: name.location))
        }
        if table.kind != .table {
            diagnostics.append(.error("E305", "\(use) loads into '\(name.value)', which is a \(table.kind.rawValue)", at: name.location))
        }
        return table
    }

    // MARK: groups, pools

    private mutating func checkGroupsAndPools() {
        let groupNames = pipeline.groups.map(\.name.value)
        let members = pipeline.tables.compactMap(\.group) + pipeline.tasks.compactMap(\.group)
        for g in members where pipeline.group(g.value) == nil {
            diagnostics.append(.error("E204", "unknown group '\(g.value)'", at: g.location,
                                      help: DidYouMean.help(g.value, from: groupNames) ?? "declare it under groups:"))
        }
        let poolNames = pipeline.pools.map(\.name.value) + ["default"]
        var pools = pipeline.tasks.compactMap(\.policy.pool)
        if let p = pipeline.defaults.pool { pools.append(p) }
        for p in pools where !poolNames.contains(p.value) {
            diagnostics.append(.error("E203", "unknown pool '\(p.value)'", at: p.location,
                                      help: DidYouMean.help(p.value, from: poolNames) ?? "declare it under pools: {\(p.value): 1}"))
        }
    }

    // MARK: graph

    private mutating func checkCycles() {
        for cycle in graph.cycles() {
            let members = Set(cycle)
            let names = cycle.map { graph.units[$0].description }
            var notes: [DiagnosticNote] = []
            for unit in cycle {
                for (dep, up) in graph.dependencies(of: unit) where members.contains(up) {
                    notes.append(DiagnosticNote("\(graph.units[unit]) \(dep.reason)", at: dep.location))
                }
            }
            diagnostics.append(.error("E601", "dependency cycle between \(names.joined(separator: ", "))", at: graph.location(of: cycle[0]),
                                      notes: notes, help: "break the cycle: one of these must not read or wait for another"))
        }
    }

    private mutating func checkTaskOutputs(_ uses: [TemplateUses]) {
        for unit in uses {
            // Ancestors are computed only for units that use task outputs: most never do.
            var ancestors: Set<Int>?
            for text in unit.texts {
                for use in text.taskOutputs {
                    guard pipeline.hasTask(use.name) else {
                        diagnostics.append(.error("E205", "unknown task '\(use.name)' in tasks.\(use.name)", at: use.location,
                                                  help: DidYouMean.help(use.name, from: pipeline.tasks.map(\.name.value))))
                        continue
                    }
                    if ancestors == nil { ancestors = graph.position(of: unit.unit).map(graph.ancestors) ?? [] }
                    if !(graph.position(of: .task(use.name)).map { ancestors!.contains($0) } ?? false) {
                        diagnostics.append(.error("E602", "\(unit.unit) uses an output of task '\(use.name)', which is not upstream of it", at: use.location,
                                                  help: "add '\(use.name)' to after: so its outputs exist when this runs"))
                    }
                }
            }
        }
    }
}
