import PipecModel
@testable import PipecPlan
import PipecIO
import Testing

@Suite struct DDLTests {
    static let events = TableDefinition(
        name: "silver.events",
        columns: [
            ColumnDefinition(name: "id", type: "String", nullable: nil),
            ColumnDefinition(name: "kind", type: "LowCardinality(String)", nullable: true),
            ColumnDefinition(name: "amount", type: "Decimal(18, 2)", nullable: true),
            ColumnDefinition(name: "at", type: "DateTime", nullable: false, defaultExpression: "now()"),
        ],
        primaryKey: ["id"], engine: "ReplacingMergeTree(at)", partitionBy: "toYYYYMM(at)", orderBy: ["id", "at"])

    @Test func clickHouseTable() {
        #expect(DDL.createTable(Self.events, .clickhouse) == ["""
            CREATE TABLE IF NOT EXISTS silver.events
            (
                id String,
                kind LowCardinality(Nullable(String)),
                amount Nullable(Decimal(18, 2)),
                at DateTime DEFAULT now()
            )
            ENGINE = ReplacingMergeTree(at)
            PARTITION BY toYYYYMM(at)
            ORDER BY (id, at)
            """])
    }

    @Test func clickHouseDefaultsToMergeTreeOrderedByTuple() {
        let t = TableDefinition(name: "plain", columns: [ColumnDefinition(name: "x", type: "UInt8", nullable: nil)])
        #expect(DDL.createTable(t, .clickhouse, ifNotExists: false) == ["CREATE TABLE plain\n(\n    x UInt8\n)\nENGINE = MergeTree\nORDER BY tuple()"])
        let log = TableDefinition(name: "l", columns: [ColumnDefinition(name: "x", type: "UInt8", nullable: nil)], engine: "Log", orderBy: ["x"])
        #expect(DDL.createTable(log, .clickhouse) == ["CREATE TABLE IF NOT EXISTS l\n(\n    x UInt8\n)\nENGINE = Log"])
    }

    @Test func postgresTableWithPartitionsGetsDefaultPartition() {
        let t = TableDefinition(name: "public.events", columns: [
            ColumnDefinition(name: "id", type: "bigint", nullable: nil),
            ColumnDefinition(name: "at", type: "timestamptz", nullable: false),
            ColumnDefinition(name: "Note", type: "text", nullable: nil),
        ], primaryKey: ["id", "at"], partitionBy: "at")
        #expect(DDL.createTable(t, .postgres) == [
            """
            CREATE TABLE IF NOT EXISTS public.events (
                id bigint,
                at timestamptz NOT NULL,
                "Note" text,
                PRIMARY KEY (id, at)
            )
            PARTITION BY RANGE (at)
            """,
            "CREATE TABLE IF NOT EXISTS public.events__default PARTITION OF public.events DEFAULT",
        ])
        #expect(DDL.createSchema("public", .postgres) == "CREATE SCHEMA IF NOT EXISTS public")
    }

    @Test func sqliteTableNamesKeepTheSchemaPrefix() {
        let t = TableDefinition(name: "raw.orders", columns: [
            ColumnDefinition(name: "id", type: "INTEGER", nullable: false),
            ColumnDefinition(name: "total", type: "REAL", nullable: nil),
        ], primaryKey: ["id"])
        #expect(DDL.createTable(t, .sqlite) == ["""
            CREATE TABLE IF NOT EXISTS "raw.orders" (
                id INTEGER NOT NULL,
                total REAL,
                PRIMARY KEY (id)
            )
            """])
        #expect(DDL.createSchema("raw", .sqlite) == nil)
        #expect(DDL.dropTable("raw.orders__stage_x", .sqlite) == "DROP TABLE IF EXISTS \"raw.orders__stage_x\"")
    }

    @Test func viewsPerDialect() {
        let v = TableDefinition(name: "mart.daily", columns: [], engine: "SummingMergeTree", orderBy: ["day"])
        let query = "SELECT day, count() AS n FROM t GROUP BY day;\n"
        #expect(DDL.createView(v, kind: .view, query: query, .postgres) == ["CREATE OR REPLACE VIEW mart.daily AS\nSELECT day, count() AS n FROM t GROUP BY day"])
        #expect(DDL.createView(v, kind: .view, query: query, .clickhouse) == [
            "DROP TABLE IF EXISTS mart.daily", "CREATE VIEW mart.daily AS\nSELECT day, count() AS n FROM t GROUP BY day",
        ])
        #expect(DDL.createView(v, kind: .view, query: query, .sqlite) == [
            "DROP VIEW IF EXISTS \"mart.daily\"", "CREATE VIEW \"mart.daily\" AS\nSELECT day, count() AS n FROM t GROUP BY day",
        ])
        #expect(DDL.createView(v, kind: .materializedView, query: query, .clickhouse) == [
            "CREATE MATERIALIZED VIEW IF NOT EXISTS mart.daily\nENGINE = SummingMergeTree\nORDER BY day\nAS\nSELECT day, count() AS n FROM t GROUP BY day",
        ])
        // PostgreSQL has no CREATE OR REPLACE MATERIALIZED VIEW: the view is re-created when its definition's hash
        // (kept as its comment) differs, so a changed SELECT reaches the database.
        let marker = "'pipec sha256:\(SHA256.hex("SELECT day, count() AS n FROM t GROUP BY day"))'"
        #expect(DDL.createView(v, kind: .materializedView, query: query, .postgres) == ["""
            DO $pipec$
            BEGIN
            IF to_regclass('mart.daily') IS NULL OR obj_description(to_regclass('mart.daily'), 'pg_class') IS DISTINCT FROM \(marker) THEN
            DROP MATERIALIZED VIEW IF EXISTS mart.daily;
            CREATE MATERIALIZED VIEW mart.daily AS
            SELECT day, count() AS n FROM t GROUP BY day
            WITH NO DATA;
            COMMENT ON MATERIALIZED VIEW mart.daily IS \(marker);
            END IF;
            END
            $pipec$
            """])
    }

    @Test func stagingCopiesStructure() {
        #expect(DDL.createLike("silver.events__new", Self.events, .clickhouse) == ["CREATE TABLE silver.events__new AS silver.events"])
        let pg = DDL.createLike("silver.events__new", Self.events, .postgres)
        #expect(pg == ["CREATE TABLE silver.events__new (\n    id String,\n    kind LowCardinality(String),\n    amount Decimal(18, 2),\n    at DateTime\n)"])
    }

    /// Ensure over a whole spec: schemas first, staging recreated per run, quarantine tables, scd2 keys.
    @Test func ensureOrdersSchemasTablesAndViews() throws {
        let plan = try Fixture.plan(Fixture.spec("""
            tables:
              raw.src: {on: pg, external: true, columns: {id: bigint}}
              mart.users:
                on: pg
                primary_key: [id]
                columns: {id: bigint, tier: text, valid_from: timestamptz, valid_to: timestamptz, is_current: boolean}
                build: {sql: "SELECT id, tier FROM {{ source('raw.src') }}", strategy: scd2, tracked_columns: [tier]}
              mart.tiers:
                on: pg
                kind: view
                sql: "SELECT tier, count(*) AS n FROM {{ ref('mart.users') }} GROUP BY tier"
              tmp.batch: {on: ch, staging: true, columns: {id: UInt64}}
              lite.orders:
                on: lite
                on_bad_rows: quarantine
                columns: {id: INTEGER, status: TEXT}
                checks: [{accepted_values: {column: status, values: [new, paid]}}]
            """))
        #expect(plan.ensure.map { "\($0.kind.rawValue) \($0.object)" } == [
            "schema mart", "schema tmp", "table mart.users", "table tmp.batch", "table lite.orders",
            "quarantine_table lite.orders__quarantine", "view mart.tiers",
        ])
        #expect(plan.ensure[2].statements == ["""
            CREATE TABLE IF NOT EXISTS mart.users (
                id bigint,
                tier text,
                valid_from timestamptz,
                valid_to timestamptz,
                is_current boolean,
                PRIMARY KEY (id, valid_from)
            )
            """])
        #expect(plan.ensure[5].statements == ["""
            CREATE TABLE IF NOT EXISTS "lite.orders__quarantine" (
                id TEXT,
                status TEXT,
                _pipec_check TEXT NOT NULL,
                _pipec_reason TEXT NOT NULL,
                _pipec_raw TEXT NOT NULL,
                _pipec_run_id TEXT NOT NULL,
                _pipec_interval_start TEXT NOT NULL,
                _pipec_quarantined_at TEXT NOT NULL
            )
            """])
        #expect(plan.ensure[6].statements == ["CREATE OR REPLACE VIEW mart.tiers AS\nSELECT tier, count(*) AS n FROM mart.users GROUP BY tier"])
        #expect(plan.runs[0].setup == [.sql(SQLStep(resource: "ch", dialect: .clickhouse, purpose: "recreate staging table tmp.batch empty", transactional: false,
                                                    statements: ["DROP TABLE IF EXISTS tmp.batch", "CREATE TABLE tmp.batch\n(\n    id UInt64\n)\nENGINE = MergeTree\nORDER BY tuple()"]))])
    }

    @Test func athenaTablesMustBeExternal() throws {
        let errors = try Fixture.errors("""
            version: 1
            pipeline: t
            resources:
              athena: {kind: athena, region: eu-central-1, database: db, output: "s3://b/r/"}
            tables:
              db.events: {on: athena, columns: {id: string}}
            """, ds: "2025-01-01")
        #expect(errors.map(\.code) == ["E702"])
    }
}
