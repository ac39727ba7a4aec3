import Foundation
import PipecModel
import PipecPlan
import Testing

/// Table checks become queries returning `violations` (0 = pass), restricted to the interval's rows when the
/// table has an interval column.
@Suite struct CheckQueryTests {
    static let day = "at >= TIMESTAMPTZ '2025-03-01 00:00:00+00' AND at < TIMESTAMPTZ '2025-03-02 00:00:00+00'"

    static func checks(_ table: String, _ yaml: String) throws -> [CheckStep] {
        let plan = try Fixture.plan(Fixture.spec(yaml))
        return try Fixture.unit(plan, table).steps.compactMap { step -> CheckStep? in
            if case .check(let c) = step { return c }
            return nil
        }
    }

    static func violations(_ check: CheckStep) -> String? {
        if case .query(let q, _, _) = check.probe { return q.sql }
        return nil
    }

    static func sample(_ check: CheckStep) -> String? {
        if case .query(_, let sample, _) = check.probe { return sample }
        return nil
    }

    static let orders = """
        tables:
          mart.orders:
            on: pg
            columns: {id: bigint, status: text, qty: int, at: timestamptz}
            build: {sql: "SELECT 1 AS id, 'new' AS status, 1 AS qty, now() AS at", strategy: replace_interval, interval_column: at}
            checks:
              - not_null: [id, status]
              - unique: [id]
              - accepted_values: {column: status, values: [new, paid]}
              - accepted_values: {column: qty, values: [1, 2]}
              - row_count: {min: 1, max: 100}
              - expression: "qty > {{ params.min_qty }}"
              - {freshness: {column: at, max_age: 2h}, severity: warn}
        """

    @Test func rowChecksCountViolatingRowsOfTheInterval() throws {
        let checks = try Self.checks("mart.orders", Self.orders.replacingOccurrences(of: "tables:", with: "params: {min_qty: 0}\ntables:"))
        #expect(checks.map(\.name) == ["not_null", "unique", "accepted_values", "accepted_values", "row_count", "expression", "freshness"])
        #expect(Self.violations(checks[0]) == "SELECT count(*) AS violations FROM mart.orders\nWHERE \(Self.day) AND (id IS NULL OR status IS NULL)")
        #expect(Self.sample(checks[0]) == "SELECT * FROM mart.orders\nWHERE \(Self.day) AND (id IS NULL OR status IS NULL)\nLIMIT 10")
        #expect(Self.violations(checks[2]) == "SELECT count(*) AS violations FROM mart.orders\nWHERE \(Self.day) AND status NOT IN ('new', 'paid')")
        #expect(Self.violations(checks[3]) == "SELECT count(*) AS violations FROM mart.orders\nWHERE \(Self.day) AND qty NOT IN (1, 2)")
        #expect(Self.violations(checks[5]) == "SELECT count(*) AS violations FROM mart.orders\nWHERE \(Self.day) AND NOT (qty > 0)")
        #expect(checks[5].assertion == "every row satisfies qty > 0")
    }

    @Test func uniqueCountsDuplicatedKeysIgnoringNulls() throws {
        let checks = try Self.checks("mart.orders", Self.orders.replacingOccurrences(of: "tables:", with: "params: {min_qty: 0}\ntables:"))
        #expect(Self.violations(checks[1]) == """
            SELECT count(*) AS violations
            FROM (
            SELECT id FROM mart.orders
            WHERE \(Self.day) AND NOT (id IS NULL)
            GROUP BY id
            HAVING count(*) > 1
            ) AS duplicated
            """)
        #expect(Self.sample(checks[1]) == "SELECT id, count(*) AS duplicates FROM mart.orders\nWHERE \(Self.day) AND NOT (id IS NULL)\nGROUP BY id\nHAVING count(*) > 1\nLIMIT 10")
    }

    @Test func aggregateChecksReportWhatTheyObserved() throws {
        let checks = try Self.checks("mart.orders", Self.orders.replacingOccurrences(of: "tables:", with: "params: {min_qty: 0}\ntables:"))
        #expect(Self.violations(checks[4]) == """
            SELECT CASE WHEN observed < 1 OR observed > 100 THEN 1 ELSE 0 END AS violations, observed
            FROM (SELECT count(*) AS observed FROM mart.orders
            WHERE \(Self.day)) AS counted
            """)
        #expect(checks[4].assertion == "the interval's row count is at least 1 and at most 100")
        #expect(Self.sample(checks[4]) == nil)
        // Freshness looks at the whole table: the newest value against the interval end minus max_age.
        #expect(Self.violations(checks[6]) == """
            SELECT CASE WHEN observed IS NULL OR observed < TIMESTAMPTZ '2025-03-01 22:00:00+00' THEN 1 ELSE 0 END AS violations, observed
            FROM (SELECT max(at) AS observed FROM mart.orders) AS newest
            """)
        #expect(checks[6].severity == .warn)
    }

    @Test func clickHouseChecksReadReplacingTablesWithFinal() throws {
        let checks = try Self.checks("latest", """
            tables:
              latest:
                on: ch
                engine: ReplacingMergeTree(v)
                order_by: [id]
                primary_key: [id]
                columns: {id: String, v: UInt64, note: Nullable(String)}
                build: {sql: "SELECT 'a' AS id, 1 AS v, NULL AS note", strategy: upsert}
                checks:
                  - not_null: [note]
                  - unique: [id, note]
                  - row_count: {min: 1}
            """)
        #expect(Self.violations(checks[0]) == "SELECT count() AS violations FROM latest FINAL\nWHERE isNull(note)")
        #expect(Self.violations(checks[1]) == "SELECT count() AS violations\nFROM (\nSELECT id, note FROM latest FINAL\nWHERE NOT (isNull(note))\nGROUP BY id, note\nHAVING count() > 1\n) AS duplicated")
        #expect(Self.violations(checks[2]) == "SELECT CASE WHEN observed < 1 THEN 1 ELSE 0 END AS violations, observed\nFROM (SELECT count() AS observed FROM latest FINAL) AS counted")
        #expect(checks[2].assertion == "the table's row count is at least 1")
    }

    @Test func quarantineMovesOffendingRowsInOneTransaction() throws {
        let checks = try Self.checks("mart.orders", """
            tables:
              mart.orders:
                on: pg
                on_bad_rows: quarantine
                columns: {id: bigint, status: text, at: timestamptz}
                build: {sql: "SELECT 1 AS id, 'new' AS status, now() AS at", strategy: replace_interval, interval_column: at}
                checks:
                  - accepted_values: {column: status, values: [new]}
                  - row_count: {min: 1}
                  - {not_null: [id], severity: warn}
            """)
        #expect(checks[0].onViolation == .quarantine)
        #expect(checks[1].onViolation == .fail)
        #expect(checks[2].onViolation == .fail)
        #expect(checks[0].remediation == [.sql(SQLStep(
            resource: "pg", dialect: .postgres, purpose: "move the offending rows to mart.orders__quarantine", transactional: true, statements: [
                "DELETE FROM mart.orders__quarantine WHERE _pipec_check = 'accepted_values' AND _pipec_interval_start = TIMESTAMPTZ '2025-03-01 00:00:00+00'",
                "INSERT INTO mart.orders__quarantine (id, status, at, _pipec_check, _pipec_reason, _pipec_raw, _pipec_run_id, _pipec_interval_start, _pipec_quarantined_at)\n"
                    + "SELECT CAST(id AS text), CAST(status AS text), CAST(at AS text), 'accepted_values', 'violates: status is one of new', '', "
                    + "'scheduled__2025-03-01T00:00:00+00:00', TIMESTAMPTZ '2025-03-01 00:00:00+00', now()\n"
                    + "FROM mart.orders\nWHERE \(Self.day) AND status NOT IN ('new')",
                "DELETE FROM mart.orders WHERE \(Self.day) AND status NOT IN ('new')",
            ]))])
    }

    @Test func clickHouseSkipWithCountDeletesWithAMutation() throws {
        let checks = try Self.checks("events", """
            tables:
              events:
                on: ch
                on_bad_rows: skip_with_count
                columns: {id: String, at: DateTime}
                build: {sql: "SELECT 'a' AS id, now() AS at", strategy: replace_interval, interval_column: at}
                checks: [{expression: "id != ''"}]
            """)
        let day = "at >= toDateTime('2025-03-01 00:00:00', 'UTC') AND at < toDateTime('2025-03-02 00:00:00', 'UTC')"
        #expect(checks[0].remediation.flatMap(\.sqlTexts) == [
            "ALTER TABLE events DELETE WHERE \(day) AND NOT (id != '')",
            "SELECT count() FROM system.mutations WHERE database = currentDatabase() AND table = 'events' AND is_done = 0",
        ])
    }
}
