import PipecModel

/// The tables `catalog:` mirrors into the warehouse, so analysts can query pipeline history next to the data:
/// runs, task instances (one row per try), check results, lineage edges and the column registry.
///
/// Run, task and check rows are written by the executor as things happen; lineage and columns describe the
/// spec and are replaced for this pipeline by ensure. On ClickHouse, run and task rows are ReplacingMergeTree
/// keyed by run (and unit and try), so a later status row replaces the earlier one; lineage and columns are
/// partitioned by pipeline, so replacing one pipeline's rows is a DROP PARTITION.
enum CatalogTables {
    enum ValueType {
        case text, timestamp, integer, flag, optionalTimestamp

        func sql(_ dialect: Dialect) -> (type: String, nullable: Bool?) {
            switch (self, dialect) {
            case (.text, .clickhouse): return ("String", nil)
            case (.timestamp, .clickhouse): return ("DateTime", nil)
            case (.optionalTimestamp, .clickhouse): return ("Nullable(DateTime)", nil)
            case (.integer, .clickhouse): return ("Int64", nil)
            case (.flag, .clickhouse): return ("UInt8", nil)
            case (.text, .postgres): return ("text", false)
            case (.timestamp, .postgres): return ("timestamptz", false)
            case (.optionalTimestamp, .postgres): return ("timestamptz", nil)
            case (.integer, .postgres): return ("bigint", false)
            case (.flag, .postgres): return ("boolean", false)
            case (.text, _): return ("TEXT", false)
            case (.timestamp, _): return ("TEXT", false)
            case (.optionalTimestamp, _): return ("TEXT", nil)
            case (.integer, _), (.flag, _): return ("INTEGER", false)
            }
        }
    }

    struct Shape {
        var name: String
        var columns: [(String, ValueType)]
        var key: [String]
        /// ClickHouse: ReplacingMergeTree (status rows replace earlier ones) or MergeTree partitioned by pipeline.
        var replacing: Bool
    }

    static let shapes: [Shape] = [
        Shape(name: "runs", columns: [
            ("pipeline", .text), ("run_id", .text), ("ds", .text), ("logical_date", .timestamp), ("interval_start", .timestamp),
            ("interval_end", .timestamp), ("plan_sha256", .text), ("status", .text), ("started_at", .timestamp), ("finished_at", .optionalTimestamp),
        ], key: ["pipeline", "run_id"], replacing: true),
        Shape(name: "task_instances", columns: [
            ("pipeline", .text), ("run_id", .text), ("unit", .text), ("kind", .text), ("try_number", .integer), ("status", .text),
            ("started_at", .timestamp), ("finished_at", .optionalTimestamp), ("duration_ms", .integer), ("rows", .integer), ("error", .text),
        ], key: ["pipeline", "run_id", "unit", "try_number"], replacing: true),
        Shape(name: "check_results", columns: [
            ("pipeline", .text), ("run_id", .text), ("unit", .text), ("table_name", .text), ("check_name", .text), ("severity", .text),
            ("violations", .integer), ("observed", .text), ("passed", .flag), ("checked_at", .timestamp),
        ], key: ["pipeline", "run_id", "unit", "check_name", "checked_at"], replacing: false),
        Shape(name: "lineage", columns: [
            ("pipeline", .text), ("source", .text), ("target", .text), ("via", .text),
        ], key: ["pipeline", "source", "target", "via"], replacing: false),
        Shape(name: "columns", columns: [
            ("pipeline", .text), ("table_name", .text), ("column_name", .text), ("position", .integer), ("column_type", .text),
            ("nullable", .flag), ("pii", .flag), ("description", .text),
        ], key: ["pipeline", "table_name", "column_name"], replacing: false),
    ]

    static func definition(_ shape: Shape, database: String, _ dialect: Dialect) -> TableDefinition {
        let columns = shape.columns.map { name, type -> ColumnDefinition in
            let (sqlType, nullable) = type.sql(dialect)
            return ColumnDefinition(name: name, type: sqlType, nullable: nullable)
        }
        guard dialect == .clickhouse else { return TableDefinition(name: "\(database).\(shape.name)", columns: columns, primaryKey: shape.key) }
        if shape.replacing {
            return TableDefinition(name: "\(database).\(shape.name)", columns: columns, engine: "ReplacingMergeTree", orderBy: shape.key)
        }
        return TableDefinition(name: "\(database).\(shape.name)", columns: columns, engine: "MergeTree",
                               partitionBy: shape.name == "check_results" ? nil : "pipeline", orderBy: Array(shape.key.dropFirst()))
    }

    static func planCatalog(_ catalog: Catalog, dialect: Dialect) -> PlanCatalog {
        let name = { (table: String) in SQLText.table("\(catalog.database).\(table)", dialect) }
        return PlanCatalog(resource: catalog.resource.value, dialect: dialect, database: catalog.database, runs: name("runs"),
                           taskInstances: name("task_instances"), checkResults: name("check_results"), lineage: name("lineage"), columns: name("columns"))
    }

    /// Statements that replace this pipeline's rows of `table` (`lineage` or `columns`) with `rows`.
    static func replaceRecords(_ table: String, columns: [String], rows: [[String]], pipeline: String, database: String, _ dialect: Dialect) -> [String] {
        let name = SQLText.table("\(database).\(table)", dialect)
        let clear = dialect == .clickhouse
            ? "ALTER TABLE \(name) DROP PARTITION \(SQLText.string(pipeline, dialect))"
            : "DELETE FROM \(name) WHERE pipeline = \(SQLText.string(pipeline, dialect))"
        guard !rows.isEmpty else { return [clear] }
        let values = rows.map { "    (" + $0.joined(separator: ", ") + ")" }.joined(separator: ",\n")
        return [clear, "INSERT INTO \(name) (\(SQLText.columns(columns, dialect))) VALUES\n\(values)"]
    }
}
