import PipecModel
import PipecPlan
import Testing
@testable import PipecExec

/// Live-table comparison: types as each database reports them, the drift of one table, and the ALTER that
/// fixes a missing column.
struct ColumnTypeMatchTests {
    @Test(arguments: [
        ("INT8", "bigint"), ("bigserial", "bigint"), ("int", "integer"), ("INTEGER", "integer"), ("serial", "integer"),
        ("int2", "smallint"), ("TIMESTAMP", "timestamp without time zone"), ("timestamp(3)", "timestamp without time zone"),
        ("timestamptz", "timestamp with time zone"), ("timestamp(6) with time zone", "timestamp with time zone"),
        ("varchar(20)", "character varying"), ("char(3)", "character"), ("numeric(10,2)", "numeric"), ("DECIMAL", "numeric"),
        ("float8", "double precision"), ("float(10)", "real"), ("float(40)", "double precision"), ("bool", "boolean"),
        ("text[]", "ARRAY"), ("int4[]", "ARRAY"), ("citext", "USER-DEFINED"), ("jsonb", "jsonb"), ("Text", "text"),
    ])
    func postgresAliasesMatchInformationSchema(spec: String, live: String) {
        #expect(ColumnTypeMatch.same(spec: spec, live: live, dialect: .postgres))
    }

    @Test(arguments: [
        ("bigint", "integer"), ("text", "integer"), ("timestamptz", "timestamp without time zone"), ("real", "double precision"),
        ("varchar(20)", "text"), ("int", "ARRAY"),
    ])
    func postgresDifferentTypesDiffer(spec: String, live: String) {
        #expect(!ColumnTypeMatch.same(spec: spec, live: live, dialect: .postgres))
    }

    @Test func sqliteComparesAffinities() {
        #expect(ColumnTypeMatch.same(spec: "BIGINT", live: "INTEGER", dialect: .sqlite))
        #expect(ColumnTypeMatch.same(spec: "VARCHAR(10)", live: "TEXT", dialect: .sqlite))
        #expect(ColumnTypeMatch.same(spec: "DATE", live: "TIMESTAMP", dialect: .sqlite))
        #expect(ColumnTypeMatch.same(spec: "DOUBLE", live: "REAL", dialect: .sqlite))
        #expect(!ColumnTypeMatch.same(spec: "TEXT", live: "INTEGER", dialect: .sqlite))
        #expect(!ColumnTypeMatch.same(spec: "REAL", live: "NUMERIC", dialect: .sqlite))
        #expect(ColumnTypeMatch.sqliteAffinity("") == "BLOB")
        #expect(ColumnTypeMatch.sqliteAffinity("FLOATING POINT") == "INTEGER")
    }

    @Test func clickHouseTypesAreCaseSensitive() {
        #expect(ColumnTypeMatch.same(spec: "Nullable(String)", live: "Nullable(String)", dialect: .clickhouse))
        #expect(!ColumnTypeMatch.same(spec: "string", live: "String", dialect: .clickhouse))
    }
}

struct SchemaDriftTests {
    static func table(_ columns: [(String, String)], dialect: Dialect = .sqlite, comparison: ExpectedObject.Comparison = .columns) -> ExpectedObject {
        ExpectedObject(kind: .table, name: "silver.orders", resource: "local", dialect: dialect,
                       columns: columns.map { ExpectedColumn(name: $0.0, type: $0.1) }, comparison: comparison)
    }

    static func live(_ columns: [(String, String)]) -> [LiveColumn] { columns.map { LiveColumn(name: $0.0, type: $0.1) } }

    @Test func aMissingTableIsMissing() {
        #expect(SchemaDrift.compare(Self.table([("id", "INTEGER")]), live: nil) == .missing)
    }

    @Test func equalColumnsMatchWhateverTheirOrder() {
        let drift = SchemaDrift.compare(Self.table([("id", "INTEGER"), ("name", "TEXT")]), live: Self.live([("name", "TEXT"), ("id", "INT")]))
        #expect(drift == .matching)
    }

    @Test func aSpecColumnMissingLiveIsAdded() {
        let drift = SchemaDrift.compare(Self.table([("id", "INTEGER"), ("channel", "TEXT")]), live: Self.live([("id", "INTEGER")]))
        #expect(drift == .drifted(missingColumns: [ExpectedColumn(name: "channel", type: "TEXT")], breaking: []))
    }

    @Test func retypedAndRemovedColumnsAreBreaking() {
        let drift = SchemaDrift.compare(Self.table([("id", "INTEGER"), ("amount", "REAL")]),
                                        live: Self.live([("id", "TEXT"), ("amount", "REAL"), ("legacy", "TEXT")]))
        #expect(drift == .drifted(missingColumns: [], breaking: [
            .retyped(column: "id", live: "TEXT", spec: "INTEGER"),
            .notInSpec(column: "legacy", live: "TEXT"),
        ]))
        #expect(BreakingDifference.retyped(column: "id", live: "TEXT", spec: "INTEGER").description == "column id is TEXT in the database, INTEGER in the spec")
    }

    @Test func sqliteNamesAreCaseInsensitivePostgresNamesAreNot() {
        #expect(SchemaDrift.compare(Self.table([("Amount", "REAL")]), live: Self.live([("amount", "REAL")])) == .matching)
        let pg = SchemaDrift.compare(Self.table([("Amount", "real")], dialect: .postgres), live: Self.live([("amount", "real")]))
        #expect(pg == .drifted(missingColumns: [ExpectedColumn(name: "Amount", type: "real")], breaking: [.notInSpec(column: "amount", live: "real")]))
    }

    @Test func quarantineTablesOnlyNeedTheColumnNames() {
        let expected = Self.table([("id", "TEXT"), ("channel", "TEXT")], comparison: .columnNames)
        let drift = SchemaDrift.compare(expected, live: Self.live([("id", "INTEGER"), ("_pipec_reason", "TEXT")]))
        #expect(drift == .drifted(missingColumns: [ExpectedColumn(name: "channel", type: "TEXT")], breaking: []))
    }

    @Test func existenceOnlyObjectsMatchWhenPresent() {
        #expect(SchemaDrift.compare(Self.table([("id", "INTEGER")], comparison: .existence), live: Self.live([("other", "TEXT")])) == .matching)
    }

    @Test func addColumnPerDialect() {
        let sqlite = Self.table([], dialect: .sqlite)
        #expect(SchemaDrift.addColumn(ExpectedColumn(name: "channel", type: "TEXT"), to: sqlite)
                == "ALTER TABLE \"silver.orders\" ADD COLUMN channel TEXT")
        // NOT NULL only with a default: rows already in the table need a value.
        #expect(SchemaDrift.addColumn(ExpectedColumn(name: "channel", type: "TEXT", nullable: false, defaultExpression: "'web'"), to: sqlite)
                == "ALTER TABLE \"silver.orders\" ADD COLUMN channel TEXT DEFAULT 'web' NOT NULL")
        #expect(SchemaDrift.addColumn(ExpectedColumn(name: "channel", type: "TEXT", nullable: false), to: sqlite)
                == "ALTER TABLE \"silver.orders\" ADD COLUMN channel TEXT")
        let pg = Self.table([], dialect: .postgres)
        #expect(SchemaDrift.addColumn(ExpectedColumn(name: "Order", type: "bigint"), to: pg)
                == "ALTER TABLE silver.orders ADD COLUMN IF NOT EXISTS \"Order\" bigint")
    }
}
