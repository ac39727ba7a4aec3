import PipecIO
import PipecModel

/// The column list a CREATE TABLE writes: a spec table's columns, or a derived table's (quarantine, catalog).
struct ColumnDefinition: Sendable, Hashable {
    var name: String
    var type: String
    /// nil: the dialect's default (see `Column.nullable`).
    var nullable: Bool?
    var defaultExpression: String?

    init(name: String, type: String, nullable: Bool?, defaultExpression: String? = nil) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.defaultExpression = defaultExpression
    }

    init(_ column: Column) {
        self.init(name: column.name.value, type: column.type.value, nullable: column.nullable, defaultExpression: column.defaultExpression)
    }
}

/// Everything a CREATE TABLE needs, independent of where it came from.
struct TableDefinition: Sendable, Hashable {
    /// The spec name (`schema.name`), written per dialect through `TableNaming`.
    var name: String
    var columns: [ColumnDefinition]
    var primaryKey: [String] = []
    /// ClickHouse: engine text (nil = MergeTree), PARTITION BY and ORDER BY; PostgreSQL: PARTITION BY RANGE.
    var engine: String?
    var partitionBy: String?
    var orderBy: [String] = []

    /// The definition of a spec table. SCD2 tables keep several versions per key, so on PostgreSQL and SQLite
    /// their primary key is the business key plus `valid_from`.
    init(_ table: Table) {
        name = table.name.value
        columns = table.columns.map(ColumnDefinition.init)
        primaryKey = table.primaryKey.map(\.value)
        if let build = table.build, build.strategy.value == .scd2, !primaryKey.isEmpty, !primaryKey.contains(build.validFrom) {
            primaryKey.append(build.validFrom)
        }
        engine = table.engine?.value
        partitionBy = table.partitionBy?.value
        orderBy = table.orderBy.map(\.value)
    }

    init(name: String, columns: [ColumnDefinition], primaryKey: [String] = [], engine: String? = nil, partitionBy: String? = nil, orderBy: [String] = []) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.engine = engine
        self.partitionBy = partitionBy
        self.orderBy = orderBy
    }
}

/// CREATE / DROP statements per dialect. Everything pipec creates is idempotent (`IF NOT EXISTS`), so ensure can
/// run before every apply.
enum DDL {
    /// The statements that create `table` (PostgreSQL partitioned tables also get their DEFAULT partition).
    static func createTable(_ table: TableDefinition, _ dialect: Dialect, ifNotExists: Bool = true) -> [String] {
        switch dialect {
        case .clickhouse: return [clickHouseTable(table, ifNotExists: ifNotExists)]
        case .postgres: return postgresTable(table, ifNotExists: ifNotExists)
        case .sqlite: return [sqliteTable(table, ifNotExists: ifNotExists)]
        // Athena tables are external: pipec never creates them (the compiler rejects anything else).
        case .athena: return []
        }
    }

    /// CREATE DATABASE / SCHEMA for a schema prefix; nil where schemas do not exist (SQLite, where a prefix is
    /// part of the table name) or are not pipec's to create (Athena).
    static func createSchema(_ schema: String, _ dialect: Dialect) -> String? {
        switch dialect {
        case .clickhouse: return "CREATE DATABASE IF NOT EXISTS \(SQLText.column(schema, dialect))"
        case .postgres: return "CREATE SCHEMA IF NOT EXISTS \(SQLText.column(schema, dialect))"
        case .sqlite, .athena: return nil
        }
    }

    static func dropTable(_ name: String, _ dialect: Dialect) -> String {
        "DROP TABLE IF EXISTS \(SQLText.table(name, dialect))"
    }

    /// `CREATE TABLE new AS old`-style copy of a table's structure for staging: ClickHouse copies engine and
    /// partitioning (REPLACE PARTITION needs them identical); PostgreSQL and SQLite get the plain column list
    /// without constraints, so staged rows are checked only once, when they reach the real table.
    static func createLike(_ name: String, _ table: TableDefinition, _ dialect: Dialect, columns: [ColumnDefinition]? = nil) -> [String] {
        switch dialect {
        case .clickhouse:
            if let columns {
                let shape = TableDefinition(name: name, columns: columns, engine: "MergeTree")
                return [clickHouseTable(shape, ifNotExists: false)]
            }
            return ["CREATE TABLE \(SQLText.table(name, dialect)) AS \(SQLText.table(table.name, dialect))"]
        case .postgres, .sqlite, .athena:
            let plain = (columns ?? table.columns).map { ColumnDefinition(name: $0.name, type: $0.type, nullable: nil) }
            return createTable(TableDefinition(name: name, columns: plain), dialect, ifNotExists: false)
        }
    }

    /// A view's statements. ClickHouse 18.16 and SQLite have no `CREATE OR REPLACE VIEW`, so the view is dropped
    /// and created again (views hold no data); a PostgreSQL materialized view is created empty and filled by
    /// the REFRESH of each run; a ClickHouse materialized view stores its rows in its own engine and fills on
    /// insert from its creation on.
    static func createView(_ table: TableDefinition, kind: TableKind, query: String, _ dialect: Dialect) -> [String] {
        let name = SQLText.table(table.name, dialect)
        let select = SQLText.trimmedQuery(query)
        switch (kind, dialect) {
        case (.materializedView, .clickhouse):
            return ["CREATE MATERIALIZED VIEW IF NOT EXISTS \(name)\n\(clickHouseStorage(table))\nAS\n\(select)"]
        case (.materializedView, .postgres):
            return [postgresMaterializedView(name, select: select)]
        case (.materializedView, _):
            return ["CREATE MATERIALIZED VIEW IF NOT EXISTS \(name) AS\n\(select)\nWITH NO DATA"]
        case (_, .postgres), (_, .athena):
            return ["CREATE OR REPLACE VIEW \(name) AS\n\(select)"]
        case (_, .clickhouse):
            return ["DROP TABLE IF EXISTS \(name)", "CREATE VIEW \(name) AS\n\(select)"]
        case (_, .sqlite):
            return ["DROP VIEW IF EXISTS \(name)", "CREATE VIEW \(name) AS\n\(select)"]
        }
    }

    /// A PostgreSQL materialized view that follows its SQL (SPEC.md: re-created when its SQL changes). PostgreSQL
    /// has no `CREATE OR REPLACE MATERIALIZED VIEW`, so the view carries the SHA-256 of its definition as its
    /// comment, and one DO block drops and creates it when that comment differs (or it does not exist). It is
    /// created empty; the REFRESH of the next run fills it, as on first creation.
    static func postgresMaterializedView(_ name: String, select: String) -> String {
        let marker = "pipec sha256:" + SHA256.hex(select)
        let regclass = "to_regclass(\(SQLText.string(name, .postgres)))"
        // A dollar-quote tag the definition does not contain, so the body needs no escaping.
        var tag = "$pipec$"
        while select.contains(tag) { tag = "$pipec" + String(tag.count) + "$" }
        return """
        DO \(tag)
        BEGIN
        IF \(regclass) IS NULL OR obj_description(\(regclass), 'pg_class') IS DISTINCT FROM \(SQLText.string(marker, .postgres)) THEN
        DROP MATERIALIZED VIEW IF EXISTS \(name);
        CREATE MATERIALIZED VIEW \(name) AS
        \(select)
        WITH NO DATA;
        COMMENT ON MATERIALIZED VIEW \(name) IS \(SQLText.string(marker, .postgres));
        END IF;
        END
        \(tag)
        """
    }

    /// The column lines of a CREATE TABLE, indented, with `extra` lines (constraints) after them.
    static func columnBlock(_ lines: [String], extra: [String] = []) -> String {
        "(\n" + (lines + extra).map { "    " + $0 }.joined(separator: ",\n") + "\n)"
    }
}
