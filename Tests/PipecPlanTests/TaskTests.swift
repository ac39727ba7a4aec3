import Foundation
import PipecModel
import PipecPlan
import PipecSchedule
import Testing

/// Tasks: loads stage rows and reuse the strategy lowering; sql tasks split statements; sensors, exports,
/// checks and notifications carry their rendered requests; run-time values stay templates.
@Suite struct TaskTests {
    static let tasks = """
        params: {prefix: exports}
        tables:
          raw.events: {on: ch, external: true, columns: {id: String, at: DateTime}}
          mart.events:
            on: pg
            columns: {id: text, at: timestamptz}
        tasks:
          copy_events:
            kind: load
            from: {query: {on: ch, sql: "SELECT id, at FROM {{ source('raw.events') }} WHERE {{ interval_filter('at') }}"}}
            into: mart.events
            strategy: replace_interval
            interval_column: at
            chunk_rows: 1000
            on_bad_rows: quarantine
          fetch_file:
            kind: load
            from: {object: {on: lake, key: "in/{{ ds_nodash }}.csv.gz", format: csv, header: true, compression: gzip}}
            into: mart.events
            strategy: append
            interval_column: at
          wait_file:
            kind: sensor
            object: {on: lake, key: "in/{{ ds_nodash }}.csv.gz"}
            poke_interval: 30s
            timeout: 10m
            soft_fail: true
          maintain:
            kind: sql
            on: pg
            sql: "VACUUM mart.events; -- keep it small\\nSELECT ';' AS semicolon; ANALYZE mart.events;"
          export_events:
            kind: export
            from: {table: mart.events, where: "at::date = '{{ ds }}'"}
            to: {on: lake, key: "{{ params.prefix }}/events/dt={{ ds }}/part.csv.gz", format: csv, compression: gzip}
            after: [copy_events]
          tell:
            kind: notify
            on: hook
            after: [copy_events]
            when: "{{ tasks.copy_events.rows | int > 0 }}"
            message: "loaded {{ tasks.copy_events.rows }} rows for {{ ds }}"
        """

    static func plan() throws -> Plan {
        let spec = Fixture.spec(tasks).replacingOccurrences(of: "  lake:", with: "  hook: {kind: webhook, url: \"https://hooks.example.com/x\"}\n  lake:")
        return try Fixture.plan(spec)
    }

    static func instant(_ text: String) throws -> Instant { try Timestamp.parse(text, zone: .utc).get() }

    @Test func queryLoadStagesThenReplacesTheInterval() throws {
        let unit = try Fixture.unit(try Self.plan(), "copy_events")
        #expect(unit.kind == .load)
        #expect(unit.strategy == .replaceInterval)
        #expect(unit.resource == "pg")
        let stage = "mart.events__load_2d55fa86"
        guard unit.steps.count == 4, case .load(let load) = unit.steps[1] else {
            Issue.record("unexpected steps \(unit.steps)")
            return
        }
        #expect(load == LoadStep(
            source: .query(PlanQuery(resource: "ch", dialect: .clickhouse,
                                     sql: "SELECT id, at FROM raw.events WHERE at >= toDateTime('2025-03-01 00:00:00', 'UTC') AND at < toDateTime('2025-03-02 00:00:00', 'UTC')")),
            resource: "pg", dialect: .postgres, table: stage, columns: ["id", "at"], chunkRows: 1000, onBadRows: .quarantine,
            quarantineTable: "mart.events__quarantine",
            columnRules: [LoadColumnRule(kind: .text, nullable: true), LoadColumnRule(kind: .timestamp, nullable: true)],
            intervalRule: LoadIntervalRule(column: "at", interval: PlanInterval(start: try Self.instant("2025-03-01T00:00:00Z"),
                                                                                end: try Self.instant("2025-03-02T00:00:00Z")), dateOnly: false)))
        #expect(unit.steps[0].sqlTexts == ["DROP TABLE IF EXISTS \(stage)", "CREATE TABLE \(stage) (\n    id text,\n    at timestamptz\n)"])
        #expect(unit.steps[2].sqlTexts == [
            "DELETE FROM mart.events WHERE at >= TIMESTAMPTZ '2025-03-01 00:00:00+00' AND at < TIMESTAMPTZ '2025-03-02 00:00:00+00'",
            "INSERT INTO mart.events (id, at)\nSELECT id, at\nFROM \(stage)",
        ])
        #expect(unit.steps[3].sqlTexts == ["DROP TABLE IF EXISTS \(stage)"])
    }

    @Test func objectLoadAndSensorAddressObjects() throws {
        let plan = try Self.plan()
        guard case .load(let load)? = try Fixture.unit(plan, "fetch_file").steps.dropFirst().first else {
            Issue.record("no load step")
            return
        }
        #expect(load.source == .object(ObjectAddress(resource: "lake", kind: .s3, container: "lake", key: "in/20250301.csv.gz"),
                                       FileLayout(format: .csv, compression: .gzip, header: true, delimiter: nil)))
        #expect(try Fixture.unit(plan, "wait_file").steps == [.sensor(SensorStep(
            probe: .objectKey(ObjectAddress(resource: "lake", kind: .s3, container: "lake", key: "in/20250301.csv.gz")),
            pokeIntervalMilliseconds: 30_000, timeoutMilliseconds: 600_000, softFail: true))])
    }

    @Test func sqlTasksAreSplitIntoStatements() throws {
        let unit = try Fixture.unit(try Self.plan(), "maintain")
        #expect(Fixture.sql(unit) == ["VACUUM mart.events", "-- keep it small\nSELECT ';' AS semicolon", "ANALYZE mart.events"])
    }

    @Test func exportFromATableRendersItsFilter() throws {
        let unit = try Fixture.unit(try Self.plan(), "export_events")
        #expect(unit.steps == [.export(ExportStep(
            query: PlanQuery(resource: "pg", dialect: .postgres, sql: "SELECT * FROM mart.events\nWHERE at::date = '2025-03-01'"),
            target: ObjectAddress(resource: "lake", kind: .s3, container: "lake", key: "exports/events/dt=2025-03-01/part.csv.gz"),
            layout: FileLayout(format: .csv, compression: .gzip, header: true, delimiter: nil), partitionBy: []))])
    }

    @Test func taskOutputsStayTemplatesUntilRunTime() throws {
        let unit = try Fixture.unit(try Self.plan(), "tell")
        #expect(unit.when == .deferred(DeferredTemplate(template: "{{ tasks.copy_events.rows | int > 0 }}", outputs: ["copy_events.rows"],
                                                         file: "spec.yaml", line: 51, column: 12, indent: 11)))
        guard case .notify(let notify)? = unit.steps.first, case .deferred(let message) = notify.message else {
            Issue.record("expected a deferred message, got \(unit.steps)")
            return
        }
        #expect(message.template == "loaded {{ tasks.copy_events.rows }} rows for {{ ds }}")
        #expect(notify.kind == .webhook)
    }

    @Test func checkTasksCompareOrCountRows() throws {
        let plan = try Fixture.plan(Fixture.spec("""
            tasks:
              same:
                kind: check
                when: "{{ ds == '2025-03-01' }}"
                compare: {left: {on: ch, sql: "SELECT count() FROM t"}, right: {on: pg, sql: "SELECT count(*) FROM t"}, tolerance: 0.01}
              none_negative:
                kind: check
                severity: warn
                sql: {on: pg, query: "SELECT * FROM t WHERE x < 0;"}
            """))
        #expect(try Fixture.unit(plan, "same").steps == [.check(CheckStep(
            name: "same", table: nil, severity: .error, assertion: "the left (ch) and right (pg) queries return the same values within a relative difference of 0.01",
            probe: .compare(left: PlanQuery(resource: "ch", dialect: .clickhouse, sql: "SELECT count() FROM t"),
                            right: PlanQuery(resource: "pg", dialect: .postgres, sql: "SELECT count(*) FROM t"), tolerance: 0.01),
            onViolation: .fail, remediation: []))])
        #expect(try Fixture.unit(plan, "same").when == .rendered("True"))
        #expect(Fixture.sql(try Fixture.unit(plan, "none_negative")) == [
            "SELECT count(*) AS violations\nFROM (\nSELECT * FROM t WHERE x < 0\n) AS violating",
            "SELECT *\nFROM (\nSELECT * FROM t WHERE x < 0\n) AS violating\nLIMIT 10",
        ])
    }

    @Test func aFullLoadIntoAStagingTableStreamsStraightIn() throws {
        let plan = try Fixture.plan(Fixture.spec("""
            tables:
              tmp.raw: {on: ch, staging: true, columns: {line: String}}
            tasks:
              fetch:
                kind: load
                from: {object: {on: lake, key: "x.csv", format: csv}}
                into: tmp.raw
                strategy: full
            """))
        let unit = try Fixture.unit(plan, "fetch")
        #expect(unit.steps.count == 2)
        #expect(Fixture.sql(unit) == ["TRUNCATE TABLE tmp.raw"])
    }

    @Test func postgresMaterializedViewsAreRefreshedAfterTheirUpstream() throws {
        let plan = try Fixture.plan(Fixture.spec("""
            tables:
              mart.orders:
                on: pg
                columns: {id: bigint}
                build: {sql: "SELECT 1 AS id", strategy: full}
              mart.order_count:
                on: pg
                kind: materialized_view
                sql: "SELECT count(*) AS n FROM {{ ref('mart.orders') }}"
            """))
        let unit = try Fixture.unit(plan, "mart.order_count")
        #expect(unit.kind == .materializedView)
        #expect(unit.upstream == ["mart.orders"])
        #expect(unit.stage == 2)
        #expect(Fixture.sql(unit) == ["REFRESH MATERIALIZED VIEW mart.order_count"])
        // Re-created when its definition changes (its comment holds the definition's hash), not IF NOT EXISTS.
        let ensure = try #require(plan.ensure.last?.statements.first)
        #expect(plan.ensure.last?.statements.count == 1)
        #expect(ensure.hasPrefix("DO $pipec$"))
        #expect(ensure.contains("CREATE MATERIALIZED VIEW mart.order_count AS\nSELECT count(*) AS n FROM mart.orders\nWITH NO DATA;"))
        #expect(ensure.contains("obj_description(to_regclass('mart.order_count'), 'pg_class') IS DISTINCT FROM 'pipec sha256:"))
        #expect(PlanSummary(plan).line == "Plan: 2 tables to ensure, 1 build, 1 view refresh and 0 tasks over 1 run.")
    }

    @Test func clickHouseScd2LoadsReadTheirStagingTable() throws {
        let plan = try Fixture.plan(Fixture.spec("""
            tables:
              dim:
                on: ch
                engine: ReplacingMergeTree(version)
                order_by: [id, valid_from]
                primary_key: [id]
                columns: {id: String, tier: String, valid_from: DateTime, valid_to: DateTime, is_current: UInt8, version: DateTime}
                build: {sql: "SELECT 'a' AS id, 'b' AS tier", strategy: scd2, tracked_columns: [tier]}
            tasks:
              sync:
                kind: load
                from: {query: {on: pg, sql: "SELECT id, tier FROM users"}}
                into: dim
                strategy: scd2
            """))
        let sql = Fixture.sql(try Fixture.unit(plan, "sync"))
        #expect(sql.first == "DROP TABLE IF EXISTS dim__load_2d55fa86")
        #expect(sql.contains("CREATE TABLE dim__load_2d55fa86 AS dim"))
        #expect(sql.last == "DROP TABLE IF EXISTS dim__load_2d55fa86")
        // valid_to is not nullable: open versions end in the far future; the version column is a DateTime.
        #expect(sql.contains { $0.contains("SELECT id, tier, toDateTime('2025-03-01 00:00:00', 'UTC'), toDateTime('2100-01-01 00:00:00', 'UTC'), 1, toDateTime('2025-03-01 00:00:00', 'UTC')\nFROM dim__load_2d55fa86 AS incoming") })
    }

    @Test func statementsReadingTaskOutputsCarryMarkersAndSayWhichOutputs() throws {
        let plan = try Fixture.plan(Fixture.spec("""
            tasks:
              count_rows:
                kind: sensor
                sql: {on: pg, query: "SELECT 1"}
              log_rows:
                kind: sql
                on: pg
                after: [count_rows]
                sql: "INSERT INTO audit VALUES ('{{ ds }}', '{{ tasks.count_rows.value }}')"
            """))
        let unit = try Fixture.unit(plan, "log_rows")
        #expect(unit.runtimeOutputs == ["count_rows.value"])
        #expect(Fixture.sql(unit) == ["INSERT INTO audit VALUES ('2025-03-01', '<tasks.count_rows.value>')"])
    }
}
