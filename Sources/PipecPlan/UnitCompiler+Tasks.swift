import PipecDiagnostics
import PipecModel

extension UnitCompiler {
    func taskUnit(_ task: Task, stage: Int) throws(PlanFailure) -> PlanUnit {
        let id = UnitID.task(task.name.value)
        var templates = UnitTemplates(unit: id, env: env, redactor: redactor)
        var steps: [PlanStep] = []
        var resource: String?
        var dialect: Dialect?
        var strategy: Strategy?
        switch task.body {
        case .sql(let q):
            let query = try self.query(q, script: true, &templates)
            resource = query.resource
            dialect = query.dialect
            let statements = StatementSplitter.split(query.sql, backslashEscapes: query.dialect.backslashEscapes)
            steps = [.sql(SQLStep(resource: query.resource, dialect: query.dialect, purpose: "run the task's statements", transactional: false,
                                  statements: statements, returnsValue: statements.last.map(StatementSplitter.isQuery) ?? false))]
        case .load(let load):
            guard let table = pipeline.table(load.into.value) else { throw PlanFailure(.error("E202", "unknown table '\(load.into.value)'", at: load.into.location)) }
            let (r, d) = try database(table)
            (resource, dialect) = (r, d)
            strategy = load.strategy?.value ?? .append
            steps = try loadSteps(load, into: table, resource: r, dialect: d, &templates)
        case .export(let export):
            let step = try exportStep(export, &templates)
            resource = step.query.resource
            dialect = step.query.dialect
            steps = [.export(step)]
        case .sensor(let sensor):
            let probe = try sensorProbe(sensor.condition, &templates)
            switch probe {
            case .sql(let q): (resource, dialect) = (q.resource, q.dialect)
            case .http(let call, _, _): resource = call.resource
            case .objectKey(let o), .objectPrefix(let o): resource = o.resource
            case .pipeline: break
            }
            var poke = sensor.pokeIntervalMilliseconds
            if case .http(let h) = sensor.condition, let own = h.pokeIntervalMilliseconds { poke = own }
            steps = [.sensor(SensorStep(probe: probe, pokeIntervalMilliseconds: poke, timeoutMilliseconds: task.policy.timeoutMilliseconds,
                                        softFail: sensor.softFail))]
        case .check(let rule, let severity):
            let step = try checkTask(task.name.value, rule, severity, &templates)
            if case .query(let q, _, _) = step.probe { (resource, dialect) = (q.resource, q.dialect) }
            if case .compare(let l, _, _) = step.probe { (resource, dialect) = (l.resource, l.dialect) }
            steps = [.check(step)]
        case .notify(let target, let message, let subject):
            let kind = pipeline.resource(target.value)?.kind ?? .webhook
            resource = target.value
            steps = [.notify(NotifyStep(resource: target.value, kind: kind, subject: try subject.map { t throws(PlanFailure) in try templates.planText(t) },
                                        message: try templates.planText(message)))]
        }
        // Checks of the tables this task writes run right after it (a load's target, `writes:` of sql tasks); a
        // load that stages its rows has checked its target's checks on them already (`loadSteps`).
        for name in graph.writes[id] ?? [] {
            guard let table = pipeline.table(name) else { continue }
            if case .load(let load) = task.body, load.into.value == table.name.value, Self.checksStagedRows(load, into: table) { continue }
            var interval = table.build?.intervalColumn?.value
            if case .load(let load) = task.body, load.into.value == table.name.value { interval = load.intervalColumn?.value ?? interval }
            steps += try checks(of: table, intervalColumn: interval, templates: &templates)
        }
        let when = try task.when.map { t throws(PlanFailure) in try templates.planText(t) }
        return PlanUnit(id: task.name.value, kind: PlanUnitKind(task.kind), strategy: strategy, stage: stage, resource: resource, dialect: dialect,
                        group: task.group?.value, description: task.description, policy: policy(task.policy), when: when, upstream: upstream(id),
                        orderingUpstream: orderingUpstream(id), runtimeOutputs: templates.runtimeOutputs, steps: steps)
    }

    // MARK: loads

    /// A load: create the staging table the executor streams into, stream, then move the rows into the target
    /// with the strategy's own lowering, and drop the staging table. A `full` load into a staging table (which
    /// nothing outside the run reads) streams straight into it after emptying it.
    private func loadSteps(_ load: LoadTask, into table: Table, resource: String, dialect: Dialect, _ templates: inout UnitTemplates) throws(PlanFailure) -> [PlanStep] {
        let source = try loadSource(load.source, &templates)
        let strategy = load.strategy?.value ?? .append
        let target = LoweringTarget(table: table, resource: resource, dialect: dialect, strategy: strategy,
                                    intervalColumn: load.intervalColumn?.value ?? table.build?.intervalColumn?.value)
        let quarantine = load.onBadRows == .quarantine ? SQLText.table(Quarantine.tableName(table.name.value), dialect) : nil
        let writer = target.writer
        func rules(_ columns: [String]) -> [LoadColumnRule] {
            columns.map { name in
                guard let c = table.column(name) else { return LoadColumnRule(kind: .text, nullable: true) }
                return LoadColumnRule(kind: LoadValueKind.of(c.type.value), nullable: ColumnFacts.isNullable(c, in: table, dialect))
            }
        }
        // Interval loads keep only the interval's rows: the rerun's delete could not find the others.
        let intervalRule: LoadIntervalRule? = (strategy == .append || strategy == .replaceInterval) ? target.intervalColumn.map { column in
            let dateOnly = table.column(column).map { ColumnFacts.isDate($0.type.value) } ?? false
            return LoadIntervalRule(column: column, interval: dateOnly ? context.interval.days : context.interval, dateOnly: dateOnly)
        } : nil
        if table.staging && strategy == .full {
            let empty = dialect == .sqlite ? "DELETE FROM \(target.sql())" : "TRUNCATE TABLE \(target.sql())"
            return [
                writer.sql("empty the staging table", [empty]),
                .load(LoadStep(source: source, resource: resource, dialect: dialect, table: target.sql(), columns: target.columnNames,
                               chunkRows: load.chunkRows, onBadRows: load.onBadRows, quarantineTable: quarantine,
                               columnRules: rules(target.columnNames))),
            ]
        }
        let loadName = table.name.value + context.loadSuffix
        // SCD2 rows carry only the attributes; elsewhere the staging table mirrors the target (on ClickHouse,
        // engine and partitioning too, which REPLACE PARTITION requires).
        let columns = strategy == .scd2 ? SCD2Shape(target).attributes : target.columnNames
        let definitions = columns.compactMap { table.column($0) }.map(ColumnDefinition.init)
        let create = DDL.createLike(loadName, target.definition, dialect, columns: strategy == .scd2 && dialect != .clickhouse ? definitions : nil)
        var steps: [PlanStep] = [writer.sql("create the load's staging table", [DDL.dropTable(loadName, dialect)] + create)]
        steps.append(.load(LoadStep(source: source, resource: resource, dialect: dialect, table: SQLText.table(loadName, dialect), columns: columns,
                                    chunkRows: load.chunkRows, onBadRows: load.onBadRows, quarantineTable: quarantine,
                                    columnRules: rules(columns), intervalRule: intervalRule)))
        let bulkLoaded: Bool = { if case .query = source { return false } else { return dialect != .sqlite } }()
        if let intervalRule, load.onBadRows == .fail, bulkLoaded {
            // PostgreSQL and ClickHouse bulk-load a file under `fail` without pipec reading its rows (query rows it
            // reads and checks): check here that every row lies in the interval, so none escapes the rerun's delete.
            let column = SQLText.column(intervalRule.column, dialect)
            let filter = SQLText.intervalFilter(intervalRule.column, context.interval, dialect, columnType: table.column(intervalRule.column)?.type.value)
            steps.append(.guardQuery(GuardStep(resource: resource, dialect: dialect,
                                               message: "rows loaded for \(table.name.value) lie outside the interval or have no \(intervalRule.column) (on_bad_rows: fail)",
                                               query: "SELECT count(*) FROM \(SQLText.table(loadName, dialect)) WHERE \(column) IS NULL OR NOT (\(filter))")))
        }
        // Validate before load: the target's checks run on the staged rows, so a bad extract (an empty one under a
        // row_count check, rows a check rejects) fails or is quarantined before anything reaches the table.
        if Self.checksStagedRows(load, into: table) {
            steps += try checks(of: table, intervalColumn: target.intervalColumn, templates: &templates, rowsTable: loadName)
        }
        steps += try lower(target, .table(loadName), at: load.strategy?.location ?? load.into.location)
        steps.append(writer.sql("drop the load's staging table", [DDL.dropTable(loadName, dialect)]))
        return steps
    }

    /// Whether a load's target checks run on its staging table before the rows move: when the staged rows are
    /// exactly what the table will hold for the interval (append, replace_interval, full), and the load has a
    /// staging table of its own (not a `full` load straight into a `staging: true` table).
    static func checksStagedRows(_ load: LoadTask, into table: Table) -> Bool {
        let strategy = load.strategy?.value ?? .append
        guard !(table.staging && strategy == .full) else { return false }
        return strategy == .append || strategy == .replaceInterval || strategy == .full
    }

    private func loadSource(_ source: LoadSource, _ templates: inout UnitTemplates) throws(PlanFailure) -> PlanLoadSource {
        switch source {
        case .http(let request, let format, let header, let delimiter):
            return .http(try httpCall(request, &templates), FileLayout(format: format, compression: .none, header: header, delimiter: delimiter),
                         HTTPReadiness(untilStatus: request.untilStatus, untilHeader: request.untilHeader,
                                       pollMilliseconds: request.pokeIntervalMilliseconds ?? HTTPReadiness.firstSuccess.pollMilliseconds))
        case .object(let object):
            return .object(try address(object.resource, object.key, &templates),
                           FileLayout(format: object.format, compression: object.compression, header: object.header, delimiter: object.delimiter))
        case .query(let q):
            return .query(try query(q, &templates))
        }
    }

    // MARK: exports, sensors, checks

    private func exportStep(_ export: ExportTask, _ templates: inout UnitTemplates) throws(PlanFailure) -> ExportStep {
        let source: PlanQuery
        switch export.source {
        case .query(let q):
            source = try query(q, &templates)
        case .table(let name, let filter):
            guard let table = pipeline.table(name.value) else { throw PlanFailure(.error("E202", "unknown table '\(name.value)'", at: name.location)) }
            let (resource, dialect) = try database(table)
            let replacing = dialect == .clickhouse && ClickHouseEngine(table.engine?.value).isReplacing
            var sql = "SELECT * FROM \(SQLText.table(name.value, dialect))\(replacing ? " FINAL" : "")"
            if let filter { sql += "\nWHERE \(SQLText.trimmedQuery(try templates.renderStatement(filter, dialect, .filter)))" }
            source = PlanQuery(resource: resource, dialect: dialect, sql: sql)
        }
        let target = export.target
        return ExportStep(query: source, target: try address(target.resource, target.key, &templates),
                          layout: FileLayout(format: target.format, compression: target.compression, header: target.header, delimiter: target.delimiter),
                          partitionBy: export.partitionBy)
    }

    private func sensorProbe(_ condition: SensorCondition, _ templates: inout UnitTemplates) throws(PlanFailure) -> SensorProbe {
        switch condition {
        case .http(let h): return .http(try httpCall(h, &templates), untilStatus: h.untilStatus, untilHeader: h.untilHeader)
        case .objectKey(let r, let key): return .objectKey(try address(r, key, &templates))
        case .objectPrefix(let r, let prefix): return .objectPrefix(try address(r, prefix, &templates))
        case .sql(let q): return .sql(try query(q, &templates))
        case .pipeline(let name, let task): return .pipeline(name: name.value, task: task?.value)
        }
    }

    /// A check task: two queries compared, or a query whose rows are the violations.
    private func checkTask(_ name: String, _ rule: CheckTaskRule, _ severity: CheckSeverity, _ templates: inout UnitTemplates) throws(PlanFailure) -> CheckStep {
        switch rule {
        case .compare(let left, let right, let tolerance):
            let l = try query(left, &templates), r = try query(right, &templates)
            let within = tolerance == 0 ? "exactly" : "within a relative difference of \(tolerance)"
            return CheckStep(name: name, table: nil, severity: severity, assertion: "the left (\(l.resource)) and right (\(r.resource)) queries return the same values \(within)",
                             probe: .compare(left: l, right: r, tolerance: tolerance), onViolation: .fail, remediation: [])
        case .query(let q):
            let rendered = try query(q, &templates)
            let inner = SQLText.trimmedQuery(rendered.sql)
            let violations = "SELECT \(SQLText.countAll(rendered.dialect)) AS violations\nFROM (\n\(inner)\n) AS violating"
            let sample = "SELECT *\nFROM (\n\(inner)\n) AS violating\nLIMIT \(CheckQueries.sampleLimit)"
            return CheckStep(name: name, table: nil, severity: severity, assertion: "the query returns no rows",
                             probe: .query(violations: PlanQuery(resource: rendered.resource, dialect: rendered.dialect, sql: violations),
                                           sample: sample, sampleLimit: CheckQueries.sampleLimit),
                             onViolation: .fail, remediation: [])
        }
    }

    // MARK: pieces

    /// A query on a database resource: exactly one statement, unless it is an `sql` task's `script`.
    private func query(_ q: QueryRef, script: Bool = false, _ templates: inout UnitTemplates) throws(PlanFailure) -> PlanQuery {
        guard let dialect = pipeline.resource(q.resource.value)?.dialect else {
            throw PlanFailure(.error("E206", "'\(q.resource.value)' is not a database resource", at: q.resource.location))
        }
        let sql = script ? try templates.render(q.sql) : try templates.renderStatement(q.sql, dialect, .query)
        return PlanQuery(resource: q.resource.value, dialect: dialect, sql: SQLText.trimmedQuery(sql))
    }

    private func httpCall(_ h: HTTPRequest, _ templates: inout UnitTemplates) throws(PlanFailure) -> HTTPCall {
        let resource = pipeline.resource(h.resource.value)
        var query: [KeyValue] = []
        for entry in h.query { query.append(KeyValue(entry.key, try templates.render(entry.value))) }
        let headers = (resource?.headers.map(\.0) ?? []) + h.headers.map(\.key)
        return HTTPCall(resource: h.resource.value, method: h.method, baseURL: display.show(resource?["base_url"]), path: try templates.render(h.path),
                        query: query, headers: headers.map { KeyValue($0, "***") }, body: try h.body.map { t throws(PlanFailure) in try templates.render(t) })
    }

    private func address(_ resource: Located<String>, _ key: TemplateText, _ templates: inout UnitTemplates) throws(PlanFailure) -> ObjectAddress {
        let r = pipeline.resource(resource.value)
        return ObjectAddress(resource: resource.value, kind: r?.kind ?? .s3, container: display.container(r), key: try templates.render(key))
    }
}

extension PlanUnitKind {
    init(_ kind: TaskKind) {
        switch kind {
        case .sql: self = .sql
        case .load: self = .load
        case .export: self = .export
        case .sensor: self = .sensor
        case .check: self = .check
        case .notify: self = .notify
        }
    }
}
