import PipecModel
import PipecPlan
import Testing

/// Strategy lowering on ClickHouse: SQL that runs on 18.16 (Debian) and 26.x alike — 3-way RENAME instead of
/// EXCHANGE TABLES, REPLACE PARTITION with numeric ids, mutations waited for through system.mutations, one JOIN
/// per SELECT with aliased subqueries and USING.
@Suite struct LoweringClickHouseTests {
    static let tables = """
        tables:
          raw.events: {on: ch, external: true, columns: {id: String, at: DateTime, tier: String}}
          bronze.events:
            on: ch
            partition_by: toYYYYMMDD(at)
            order_by: [at, id]
            columns: {id: String, at: DateTime}
            build: {sql: "SELECT id, at FROM {{ source('raw.events') }} WHERE {{ interval_filter('at') }}", strategy: append, interval_column: at}
          silver.events:
            on: ch
            partition_by: toYYYYMM(at)
            order_by: [id]
            columns: {id: String, at: DateTime}
            build: {sql: "SELECT id, at FROM {{ ref('bronze.events') }} WHERE {{ interval_filter('at') }}", strategy: replace_interval, interval_column: at}
          gold.snapshot:
            on: ch
            order_by: [id]
            columns: {id: String, n: UInt64}
            build: {sql: "SELECT id, count() AS n FROM {{ ref('silver.events') }} GROUP BY id", strategy: full}
          gold.latest:
            on: ch
            engine: ReplacingMergeTree(seen)
            order_by: [id]
            primary_key: [id]
            columns: {id: String, tier: String, seen: DateTime}
            build: {sql: "SELECT id, argMax(tier, at) AS tier, max(at) AS seen FROM {{ source('raw.events') }} GROUP BY id", strategy: upsert}
          silver.users:
            on: ch
            engine: ReplacingMergeTree(version)
            order_by: [id, valid_from]
            primary_key: [id]
            columns: {id: String, tier: String, valid_from: DateTime, valid_to: Nullable(DateTime), is_current: UInt8, version: UInt64}
            build: {sql: "SELECT id, any(tier) AS tier FROM {{ source('raw.events') }} GROUP BY id", strategy: scd2, tracked_columns: [tier]}
        """

    static let hour = "at >= toDateTime('2025-03-01 05:00:00', 'UTC') AND at < toDateTime('2025-03-01 06:00:00', 'UTC')"

    static func plan() throws -> Plan {
        try Fixture.plan(Fixture.spec(tables, cron: "@hourly"), ds: "2025-03-01T05:00:00Z")
    }

    @Test func dayPartitionsAreReplacedWithTheRestOfTheDayCopiedBack() throws {
        let unit = try Fixture.unit(try Self.plan(), "bronze.events")
        let stage = "bronze.events__stage_051585be"
        #expect(unit.steps == [
            .sql(SQLStep(resource: "ch", dialect: .clickhouse, purpose: "stage the interval's rows and the rest of its partitions", transactional: false, statements: [
                "DROP TABLE IF EXISTS \(stage)",
                "CREATE TABLE \(stage) AS bronze.events",
                "INSERT INTO \(stage) (id, at)\nSELECT id, at\nFROM (\nSELECT id, at FROM raw.events WHERE \(Self.hour)\n) AS src",
                "INSERT INTO \(stage)\nSELECT * FROM bronze.events\nWHERE toYYYYMMDD(at) IN (20250301) AND NOT (\(Self.hour))",
            ])),
            .guardQuery(GuardStep(resource: "ch", dialect: .clickhouse,
                                  message: "rows staged for bronze.events fall outside the partitions being replaced (20250301); is the server's time zone UTC?",
                                  query: "SELECT count() FROM \(stage) WHERE toYYYYMMDD(at) NOT IN (20250301)")),
            .sql(SQLStep(resource: "ch", dialect: .clickhouse, purpose: "replace partition 20250301", transactional: false, statements: [
                "ALTER TABLE bronze.events REPLACE PARTITION 20250301 FROM \(stage)",
                "DROP TABLE IF EXISTS \(stage)",
            ])),
        ])
    }

    @Test func monthPartitionsUnderAnHourlyIntervalFallBackToADeleteMutation() throws {
        let unit = try Fixture.unit(try Self.plan(), "silver.events")
        let stage = "silver.events__stage_051585be"
        #expect(Fixture.sql(unit) == [
            "DROP TABLE IF EXISTS \(stage)",
            "CREATE TABLE \(stage) AS silver.events",
            "INSERT INTO \(stage) (id, at)\nSELECT id, at\nFROM (\nSELECT id, at FROM bronze.events WHERE \(Self.hour)\n) AS src",
            "ALTER TABLE silver.events DELETE WHERE \(Self.hour)",
            "SELECT count() FROM system.mutations WHERE database = 'silver' AND table = 'events' AND is_done = 0",
            "INSERT INTO silver.events (id, at)\nSELECT id, at FROM \(stage)",
            "DROP TABLE IF EXISTS \(stage)",
        ])
        guard case .sql(let insert)? = unit.steps.last else { return }
        #expect(insert.note?.hasPrefix("not atomic") == true)
    }

    @Test func wholeMonthIntervalsReplaceWholePartitions() throws {
        let plan = try Fixture.plan(Fixture.spec(Self.tables, cron: "@monthly"), ds: "2025-03-01")
        let silver = Fixture.sql(try Fixture.unit(plan, "silver.events"))
        #expect(silver.contains("ALTER TABLE silver.events REPLACE PARTITION 202503 FROM silver.events__stage_2d55fa86"))
        #expect(!silver.contains { $0.contains("SELECT * FROM silver.events") })
        let bronze = Fixture.sql(try Fixture.unit(plan, "bronze.events"))
        #expect(bronze.filter { $0.contains("REPLACE PARTITION") }.count == 31)
        #expect(bronze.contains("SELECT count() FROM bronze.events__stage_2d55fa86 WHERE toYYYYMMDD(at) NOT IN (" + (1...31).map { String(20_250_300 + $0) }.joined(separator: ", ") + ")"))
    }

    @Test func fullSwapsWithAThreeWayRename() throws {
        let unit = try Fixture.unit(try Self.plan(), "gold.snapshot")
        #expect(Fixture.sql(unit) == [
            "DROP TABLE IF EXISTS gold.snapshot__new",
            "CREATE TABLE gold.snapshot__new AS gold.snapshot",
            "INSERT INTO gold.snapshot__new (id, n)\nSELECT id, n\nFROM (\nSELECT id, count() AS n FROM silver.events GROUP BY id\n) AS src",
            "RENAME TABLE gold.snapshot TO gold.snapshot__old, gold.snapshot__new TO gold.snapshot, gold.snapshot__old TO gold.snapshot__new",
            "DROP TABLE gold.snapshot__new",
        ])
    }

    @Test func upsertInsertsIntoTheReplacingMergeTree() throws {
        let unit = try Fixture.unit(try Self.plan(), "gold.latest")
        #expect(Fixture.sql(unit) == [
            "INSERT INTO gold.latest (id, tier, seen)\nSELECT id, tier, seen\nFROM (\nSELECT id, argMax(tier, at) AS tier, max(at) AS seen FROM raw.events GROUP BY id\n) AS src",
        ])
    }

    @Test func scd2InsertsClosingAndOpeningVersions() throws {
        let unit = try Fixture.unit(try Self.plan(), "silver.users")
        let stage = "silver.users__stage_051585be"
        let start = "toDateTime('2025-03-01 05:00:00', 'UTC')"
        #expect(Fixture.sql(unit) == [
            "DROP TABLE IF EXISTS \(stage)",
            "CREATE TABLE \(stage) ENGINE = Memory AS\nSELECT id, tier\nFROM (\nSELECT id, any(tier) AS tier FROM raw.events GROUP BY id\n) AS src",
            """
            INSERT INTO silver.users (id, tier, valid_from, valid_to, is_current, version)
            SELECT id, tier, valid_from, \(start), 0, 1740805200
            FROM (SELECT id, tier, valid_from FROM silver.users FINAL WHERE is_current = 1) AS cur
            ANY INNER JOIN (SELECT id, tier AS _pipec_new_tier FROM \(stage)) AS incoming USING (id)
            WHERE tier != _pipec_new_tier
            """,
            """
            INSERT INTO silver.users (id, tier, valid_from, valid_to, is_current, version)
            SELECT id, tier, \(start), NULL, 1, 1740805200
            FROM \(stage) AS incoming
            ANY LEFT JOIN (SELECT id, 1 AS _pipec_found FROM silver.users FINAL WHERE is_current = 1) AS cur USING (id)
            WHERE ifNull(_pipec_found, 0) = 0
            """,
            "DROP TABLE IF EXISTS \(stage)",
        ])
    }

    @Test func scd2NeedsAReplacingMergeTreeKeyedOnValidFrom() throws {
        let wrongEngine = try Fixture.errors(Fixture.spec("""
            tables:
              dim:
                on: ch
                order_by: [id, valid_from]
                primary_key: [id]
                columns: {id: String, tier: String, valid_from: DateTime, valid_to: Nullable(DateTime), is_current: UInt8}
                build: {sql: "SELECT 'a' AS id, 'b' AS tier", strategy: scd2, tracked_columns: [tier]}
            """))
        #expect(wrongEngine.map(\.code) == ["E701"])
        #expect(wrongEngine.first?.message.contains("ReplacingMergeTree") == true)
        let wrongKey = try Fixture.errors(Fixture.spec("""
            tables:
              dim:
                on: ch
                engine: ReplacingMergeTree
                order_by: [id]
                primary_key: [id]
                columns: {id: String, tier: String, valid_from: DateTime, valid_to: Nullable(DateTime), is_current: UInt8}
                build: {sql: "SELECT 'a' AS id, 'b' AS tier", strategy: scd2, tracked_columns: [tier]}
            """))
        #expect(wrongKey.first?.message == "scd2 on ClickHouse table 'dim' needs order_by to be its keys plus valid_from")
    }
}
