import PipecModel
import PipecPlan
import Testing

/// Strategy lowering on PostgreSQL and SQLite: the exact statements, and which run in one transaction.
@Suite struct LoweringPostgresTests {
    static let tables = """
        tables:
          raw.events: {on: pg, external: true, columns: {id: bigint, at: timestamptz, tier: text}}
          mart.totals:
            on: pg
            columns: {id: bigint, n: bigint}
            build: {sql: "SELECT id, count(*) AS n FROM {{ source('raw.events') }} GROUP BY id;", strategy: full}
          mart.recent:
            on: pg
            columns: {id: bigint, at: timestamptz}
            build: {sql: "SELECT at, id FROM {{ source('raw.events') }} WHERE {{ interval_filter('at') }}", strategy: replace_interval, interval_column: at}
          mart.days:
            on: pg
            columns: {day: date, n: bigint}
            build: {sql: "SELECT at::date AS day, count(*) AS n FROM {{ source('raw.events') }} GROUP BY 1", strategy: append, interval_column: day}
          mart.tiers:
            on: pg
            primary_key: [id]
            columns: {id: bigint, tier: text}
            build: {sql: "SELECT id, tier FROM {{ source('raw.events') }}", strategy: upsert}
          mart.users:
            on: pg
            primary_key: [id]
            columns: {id: bigint, tier: text, valid_from: timestamptz, valid_to: timestamptz, is_current: boolean}
            build: {sql: "SELECT id, tier FROM {{ source('raw.events') }}", strategy: scd2, tracked_columns: [tier]}
          lite.tiers:
            on: lite
            primary_key: [id]
            columns: {id: INTEGER, tier: TEXT, seen: TEXT}
            build: {sql: "SELECT 1 AS id, 'pro' AS tier, '2025-03-01' AS seen", strategy: upsert}
          lite.log:
            on: lite
            columns: {id: INTEGER, seen: DATETIME}
            build: {sql: "SELECT 1 AS id, '2025-03-01 10:00:00' AS seen", strategy: replace_interval, interval_column: seen}
        """

    static func plan() throws -> Plan { try Fixture.plan(Fixture.spec(tables)) }

    @Test func fullBuildsAsideThenSwapsContentsInOneTransaction() throws {
        let unit = try Fixture.unit(try Self.plan(), "mart.totals")
        #expect(unit.steps == [
            .sql(SQLStep(resource: "pg", dialect: .postgres, purpose: "build the new contents into mart.totals__new", transactional: false, statements: [
                "DROP TABLE IF EXISTS mart.totals__new",
                "CREATE TABLE mart.totals__new (\n    id bigint,\n    n bigint\n)",
                "INSERT INTO mart.totals__new (id, n)\nSELECT id, n\nFROM (\nSELECT id, count(*) AS n FROM raw.events GROUP BY id\n) AS src",
            ])),
            .sql(SQLStep(resource: "pg", dialect: .postgres, purpose: "swap the new contents in", transactional: true, statements: [
                "TRUNCATE TABLE mart.totals",
                "INSERT INTO mart.totals (id, n)\nSELECT id, n\nFROM mart.totals__new",
            ])),
            .sql(SQLStep(resource: "pg", dialect: .postgres, purpose: "drop the build table", transactional: false, statements: [
                "DROP TABLE IF EXISTS mart.totals__new",
            ])),
        ])
    }

    @Test func replaceIntervalDeletesAndInsertsInOneTransaction() throws {
        let unit = try Fixture.unit(try Self.plan(), "mart.recent")
        #expect(unit.steps == [
            .sql(SQLStep(resource: "pg", dialect: .postgres, purpose: "replace the interval's rows", transactional: true, statements: [
                "DELETE FROM mart.recent WHERE at >= TIMESTAMPTZ '2025-03-01 00:00:00+00' AND at < TIMESTAMPTZ '2025-03-02 00:00:00+00'",
                "INSERT INTO mart.recent (id, at)\nSELECT id, at\nFROM (\nSELECT at, id FROM raw.events WHERE at >= TIMESTAMPTZ '2025-03-01 00:00:00+00' AND at < TIMESTAMPTZ '2025-03-02 00:00:00+00'\n) AS src",
            ])),
        ])
    }

    @Test func appendOnADateColumnCoversTheIntervalsDays() throws {
        let unit = try Fixture.unit(try Self.plan(), "mart.days")
        #expect(Fixture.sql(unit).first == "DELETE FROM mart.days WHERE day >= DATE '2025-03-01' AND day < DATE '2025-03-02'")
    }

    @Test func upsertIsOneInsertOnConflict() throws {
        let unit = try Fixture.unit(try Self.plan(), "mart.tiers")
        #expect(unit.steps == [
            .sql(SQLStep(resource: "pg", dialect: .postgres, purpose: "merge the new rows on id", transactional: false, statements: [
                "INSERT INTO mart.tiers (id, tier)\nSELECT id, tier\nFROM (\nSELECT id, tier FROM raw.events\n) AS src\nON CONFLICT (id) DO UPDATE SET tier = EXCLUDED.tier",
            ])),
        ])
    }

    /// Versions are spliced in at the interval start (not only appended after the current one), so a rerun of any
    /// interval is exact: undo what this interval did, split the version covering the start where tracked columns
    /// changed, open versions for keys nothing covers (ending where their next version starts).
    @Test func scd2SplicesVersionsAtTheIntervalStartInOneTransaction() throws {
        let unit = try Fixture.unit(try Self.plan(), "mart.users")
        let start = "TIMESTAMPTZ '2025-03-01 00:00:00+00'"
        guard case .sql(let step)? = unit.steps.first else {
            Issue.record("expected one SQL step, got \(unit.steps)")
            return
        }
        #expect(unit.steps.count == 1)
        #expect(step.transactional)
        #expect(step.statements == [
            "DROP TABLE IF EXISTS mart.users__stage_2d55fa86",
            "CREATE TABLE mart.users__stage_2d55fa86 (\n    id bigint,\n    tier text\n)",
            "INSERT INTO mart.users__stage_2d55fa86 (id, tier)\nSELECT id, tier\nFROM (\nSELECT id, tier FROM raw.events\n) AS src",
            "DELETE FROM mart.users WHERE valid_from = \(start)",
            """
            UPDATE mart.users SET valid_to = (SELECT min(n.valid_from) FROM mart.users AS n WHERE n.id = mart.users.id AND n.valid_from > \(start)), \
            is_current = CASE WHEN EXISTS (SELECT 1 FROM mart.users AS n WHERE n.id = mart.users.id AND n.valid_from > \(start)) THEN FALSE ELSE TRUE END
            WHERE valid_to = \(start)
            """,
            """
            INSERT INTO mart.users (id, tier, valid_from, valid_to, is_current)
            SELECT s.id, s.tier, \(start), cov.valid_to, cov.is_current
            FROM mart.users__stage_2d55fa86 AS s
            JOIN mart.users AS cov ON cov.id = s.id AND cov.valid_from < \(start) AND (cov.valid_to > \(start) OR cov.valid_to IS NULL)
            WHERE s.tier IS DISTINCT FROM cov.tier
            """,
            """
            UPDATE mart.users SET valid_to = \(start), is_current = FALSE
            WHERE valid_from < \(start) AND (mart.users.valid_to > \(start) OR mart.users.valid_to IS NULL) AND EXISTS (
                SELECT 1 FROM mart.users__stage_2d55fa86 AS s
                WHERE s.id = mart.users.id AND (s.tier IS DISTINCT FROM mart.users.tier)
            )
            """,
            """
            INSERT INTO mart.users (id, tier, valid_from, valid_to, is_current)
            SELECT s.id, s.tier, \(start), (SELECT min(n.valid_from) FROM mart.users AS n WHERE n.id = s.id AND n.valid_from > \(start)), \
            CASE WHEN EXISTS (SELECT 1 FROM mart.users AS n WHERE n.id = s.id AND n.valid_from > \(start)) THEN FALSE ELSE TRUE END
            FROM mart.users__stage_2d55fa86 AS s
            WHERE NOT EXISTS (
                SELECT 1 FROM mart.users AS cur
                WHERE cur.id = s.id AND cur.valid_from <= \(start) AND (cur.valid_to > \(start) OR cur.valid_to IS NULL)
            )
            """,
            "DROP TABLE IF EXISTS mart.users__stage_2d55fa86",
        ])
    }

    @Test func sqliteUpsertNeedsWhereTrue() throws {
        let unit = try Fixture.unit(try Self.plan(), "lite.tiers")
        #expect(Fixture.sql(unit) == [
            "INSERT INTO \"lite.tiers\" (id, tier, seen)\nSELECT id, tier, seen\nFROM (\nSELECT 1 AS id, 'pro' AS tier, '2025-03-01' AS seen\n) AS src\nWHERE true\n"
                + "ON CONFLICT (id) DO UPDATE SET tier = EXCLUDED.tier, seen = EXCLUDED.seen",
        ])
    }

    @Test func sqliteIntervalBoundsAreDaysWhenTheIntervalIsWholeDays() throws {
        let unit = try Fixture.unit(try Self.plan(), "lite.log")
        #expect(Fixture.sql(unit).first == "DELETE FROM \"lite.log\" WHERE seen >= '2025-03-01' AND seen < '2025-03-02'")
        guard case .sql(let step)? = unit.steps.first else { return }
        #expect(step.transactional)
    }

    @Test func sqliteFullEmptiesWithDelete() throws {
        let plan = try Fixture.plan(Fixture.spec("""
            tables:
              snapshot:
                on: lite
                columns: {id: INTEGER}
                build: {sql: "SELECT 1 AS id", strategy: full}
            """))
        #expect(Fixture.sql(try Fixture.unit(plan, "snapshot")) == [
            "DROP TABLE IF EXISTS snapshot__new",
            "CREATE TABLE snapshot__new (\n    id INTEGER\n)",
            "INSERT INTO snapshot__new (id)\nSELECT id\nFROM (\nSELECT 1 AS id\n) AS src",
            "DELETE FROM snapshot",
            "INSERT INTO snapshot (id)\nSELECT id\nFROM snapshot__new",
            "DROP TABLE IF EXISTS snapshot__new",
        ])
    }

    /// SQLite spells the null-safe comparison `IS NOT`, has no boolean type, and names the outer table of a
    /// correlated subquery by its quoted name.
    @Test func sqliteScd2() throws {
        let plan = try Fixture.plan(Fixture.spec("""
            tables:
              dim.users:
                on: lite
                primary_key: [id]
                columns: {id: INTEGER, tier: TEXT, valid_from: DATETIME, valid_to: DATETIME, is_current: INTEGER}
                build: {sql: "SELECT 1 AS id, 'pro' AS tier", strategy: scd2, tracked_columns: [tier]}
            """))
        let sql = Fixture.sql(try Fixture.unit(plan, "dim.users"))
        #expect(sql.count == 9)
        #expect(sql[4] == """
            UPDATE "dim.users" SET valid_to = (SELECT min(n.valid_from) FROM "dim.users" AS n WHERE n.id = "dim.users".id AND n.valid_from > '2025-03-01 00:00:00'), \
            is_current = CASE WHEN EXISTS (SELECT 1 FROM "dim.users" AS n WHERE n.id = "dim.users".id AND n.valid_from > '2025-03-01 00:00:00') THEN 0 ELSE 1 END
            WHERE valid_to = '2025-03-01 00:00:00'
            """)
        #expect(sql[6] == """
            UPDATE "dim.users" SET valid_to = '2025-03-01 00:00:00', is_current = 0
            WHERE valid_from < '2025-03-01 00:00:00' AND ("dim.users".valid_to > '2025-03-01 00:00:00' OR "dim.users".valid_to IS NULL) AND EXISTS (
                SELECT 1 FROM "dim.users__stage_2d55fa86" AS s
                WHERE s.id = "dim.users".id AND (s.tier IS NOT "dim.users".tier)
            )
            """)
        #expect(plan.ensure.first?.statements.first?.contains("PRIMARY KEY (id, valid_from)") == true)
    }
}
