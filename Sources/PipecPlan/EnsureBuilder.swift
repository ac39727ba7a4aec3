import PipecDiagnostics
import PipecModel

/// Builds the ensure stage: the idempotent DDL that makes every object the runs need exist, in an order that
/// works on an empty server — schemas, tables, quarantine tables, catalog tables and records, then views in
/// dependency order (a view is created after the tables and views it reads).
struct EnsureBuilder {
    let pipeline: Pipeline
    let graph: PipelineGraph
    /// The first run's render environment: view SQL is rendered once, with it.
    let env: RenderEnvironment
    let redactor: Redactor
    let display: ConfigDisplay
    private(set) var diagnostics: [Diagnostic] = []

    init(pipeline: Pipeline, graph: PipelineGraph, env: RenderEnvironment, redactor: Redactor, display: ConfigDisplay) {
        self.pipeline = pipeline
        self.graph = graph
        self.env = env
        self.redactor = redactor
        self.display = display
    }

    private struct Pending {
        var kind: EnsureKind
        var object: String
        var resource: Resource
        var dialect: Dialect
        var statements: [String]
    }

    mutating func build() -> [EnsureAction] {
        var objects: [Pending] = []
        for table in pipeline.tables where !table.external && table.kind == .table {
            guard let (resource, dialect) = database(of: table) else { continue }
            if dialect == .athena {
                diagnostics.append(.error("E702", "pipec does not create Athena tables; '\(table.name.value)' must be external: true", at: table.name.location,
                                          help: "declare it external and create it with an sql task (CREATE EXTERNAL TABLE IF NOT EXISTS ...)"))
                continue
            }
            objects.append(Pending(kind: .table, object: table.name.value, resource: resource, dialect: dialect,
                                   statements: DDL.createTable(TableDefinition(table), dialect)))
        }
        for table in quarantinedTables() {
            guard let (resource, dialect) = database(of: table), dialect != .athena else { continue }
            objects.append(Pending(kind: .quarantineTable, object: Quarantine.tableName(table.name.value), resource: resource, dialect: dialect,
                                   statements: DDL.createTable(Quarantine.definition(for: table, dialect), dialect)))
        }
        if let catalog = pipeline.catalog, let resource = pipeline.resource(catalog.resource.value), let dialect = resource.dialect {
            for shape in CatalogTables.shapes {
                let definition = CatalogTables.definition(shape, database: catalog.database, dialect)
                objects.append(Pending(kind: .catalogTable, object: definition.name, resource: resource, dialect: dialect,
                                       statements: DDL.createTable(definition, dialect)))
            }
            objects.append(Pending(kind: .catalogRecords, object: "\(catalog.database).columns", resource: resource, dialect: dialect,
                                   statements: columnRecords(catalog.database, dialect)))
            objects.append(Pending(kind: .catalogRecords, object: "\(catalog.database).lineage", resource: resource, dialect: dialect,
                                   statements: lineageRecords(catalog.database, dialect)))
        }
        objects += views()

        var actions: [EnsureAction] = []
        var seenSchemas = Set<String>()
        for object in objects {
            for schema in schemas(of: object) where seenSchemas.insert("\(object.resource.name.value)/\(schema)").inserted {
                if let statement = DDL.createSchema(schema, object.dialect) {
                    actions.append(EnsureAction(kind: .schema, object: schema, resource: object.resource.name.value, dialect: object.dialect, statements: [statement]))
                }
            }
        }
        actions += objects.map { EnsureAction(kind: $0.kind, object: $0.object, resource: $0.resource.name.value, dialect: $0.dialect, statements: $0.statements) }
        return actions
    }

    private func database(of table: Table) -> (Resource, Dialect)? {
        guard let r = pipeline.resource(table.resource.value), let d = r.dialect else { return nil }
        return (r, d)
    }

    /// The schema an object lives in, or — for an unqualified ClickHouse object — the resource's own database
    /// when it is not `default` (connections name it, so it must exist before anything else runs).
    private func schemas(of object: Pending) -> [String] {
        let parts = object.object.split(separator: ".", maxSplits: 1)
        if parts.count == 2 { return [String(parts[0])] }
        guard object.dialect == .clickhouse else { return [] }
        let database = display.show(object.resource["database"])
        return database.isEmpty || database == "default" ? [] : [database]
    }

    /// Tables whose rows can be quarantined: by their checks or by a load into them.
    private func quarantinedTables() -> [Table] {
        var names: [String] = pipeline.tables.filter { $0.onBadRows == .quarantine && !$0.external }.map(\.name.value)
        for task in pipeline.tasks {
            if case .load(let load) = task.body, load.onBadRows == .quarantine, !names.contains(load.into.value) { names.append(load.into.value) }
        }
        return pipeline.tables.filter { names.contains($0.name.value) }
    }

    /// Views and materialized views, in dependency order, with their SQL rendered for the first run.
    private mutating func views() -> [Pending] {
        let isView = { (t: Table) in !t.external && t.kind != .table && t.viewSQL != nil }
        var order = (graph.topologicalOrder() ?? graph.units).compactMap { unit -> Table? in
            guard case .table(let name) = unit, let t = pipeline.table(name), isView(t) else { return nil }
            return t
        }
        for t in pipeline.tables where isView(t) && !order.contains(where: { $0.name.value == t.name.value }) { order.append(t) }
        var out: [Pending] = []
        for view in order {
            guard let (resource, dialect) = database(of: view), let sql = view.viewSQL else { continue }
            var templates = UnitTemplates(unit: .table(view.name.value), env: env, redactor: redactor)
            do throws(PlanFailure) {
                let query = try templates.renderStatement(sql, dialect, .view)
                out.append(Pending(kind: view.kind == .view ? .view : .materializedView, object: view.name.value, resource: resource, dialect: dialect,
                                   statements: DDL.createView(TableDefinition(view), kind: view.kind, query: query, dialect)))
            } catch {
                diagnostics.append(error.diagnostic)
            }
        }
        return out
    }

    /// The column registry: every column of every table, with its type and flags.
    private func columnRecords(_ database: String, _ dialect: Dialect) -> [String] {
        let s = { (text: String) in SQLText.string(text, dialect) }
        var rows: [[String]] = []
        for table in pipeline.tables {
            let tableDialect = pipeline.resource(table.resource.value)?.dialect ?? dialect
            for (i, column) in table.columns.enumerated() {
                let nullable = ColumnFacts.isNullable(column, in: table, tableDialect)
                rows.append([s(pipeline.name.value), s(table.name.value), s(column.name.value), String(i + 1), s(column.type.value),
                             SQLText.flag(nullable, columnType: "boolean", dialect), SQLText.flag(column.pii, columnType: "boolean", dialect),
                             s(column.description ?? "")])
            }
        }
        let columns = ["pipeline", "table_name", "column_name", "position", "column_type", "nullable", "pii", "description"]
        return CatalogTables.replaceRecords("columns", columns: columns, rows: rows, pipeline: pipeline.name.value, database: database, dialect)
    }

    /// Lineage edges: what each unit reads flows into what it writes, plus the spec's `lineage:` entries.
    private func lineageRecords(_ database: String, _ dialect: Dialect) -> [String] {
        var edges: [(String, String, String)] = []
        func add(_ edge: (String, String, String)) {
            if !edges.contains(where: { $0 == edge }) { edges.append(edge) }
        }
        for unit in graph.units {
            for source in graph.reads[unit] ?? [] {
                for target in graph.writes[unit] ?? [] where source != target { add((source, target, unit.name)) }
            }
        }
        for entry in pipeline.lineage { add((entry.from.value, entry.to.value, "declared")) }
        let s = { (text: String) in SQLText.string(text, dialect) }
        let rows = edges.map { [s(pipeline.name.value), s($0.0), s($0.1), s($0.2)] }
        return CatalogTables.replaceRecords("lineage", columns: ["pipeline", "source", "target", "via"], rows: rows,
                                            pipeline: pipeline.name.value, database: database, dialect)
    }
}
