import Foundation
import Testing

/// `pipec apply` end to end on SQLite: the real binary on the specs of `Tests/Fixtures/apply/`, each test in its own
/// copy of its case, results read back with the sqlite3 CLI.
@Suite struct ApplySQLiteTests {
    @Test(arguments: StrategyCase.all)
    func strategyRerunsAreExact(_ strategy: StrategyCase) throws {
        let c = try ApplyCase("strategies")
        try strategy.verify(spec: "sqlite.yaml", on: c, read: .sqlite(c))
    }

    @Test func quarantineMovesBadRowsAndWarnChecksPass() throws {
        let c = try ApplyCase("checks")
        try expectSuccess(c.apply("sqlite.yaml", ["--ds", "2025-01-01"]))
        try ChecksExpectations.verify(c, spec: "sqlite.yaml", read: .sqlite(c), state: { try c.state($0) })
    }

    /// Issue 17.9: an unterminated quote on line 5 used to swallow the 13 lines after it as one bad row with no raw
    /// text, and the load "succeeded". Now it is one bad row with its raw text, and every other row loads.
    @Test func oneBadQuoteIsOneBadRow() throws {
        let c = try ApplyCase("bad_rows")
        try expectSuccess(c.apply("quote.yaml", ["--ds", "2025-01-01"]))
        let good = (1...17).filter { $0 != 4 }.map { "\($0)|\(100 + $0)|\($0 * 10)" }.joined(separator: "\n")
        #expect(try c.sqlite("SELECT payment_id, order_id, amount FROM payments_q ORDER BY payment_id") == good)
        #expect(try c.sqlite("SELECT payment_id, order_id, amount FROM payments_s ORDER BY payment_id") == good)
        #expect(try c.sqlite("SELECT _pipec_reason, _pipec_raw FROM payments_q__quarantine")
                == "line 5: unterminated quoted field|4,\"104,40")
        #expect(try c.state("SELECT unit, check_name, violations FROM pipec_check_results ORDER BY unit")
                == "load_quarantined|bad_rows|1\nload_skipped|bad_rows|1")
    }

    /// Issue 17.8: SQLite's type affinity kept `abc` in a REAL column, `90x4` in an INTEGER one and `not-a-date` in a
    /// TIMESTAMP one, and `abc` was summed; the BOM made every order_id NULL; a Latin-1 byte was replaced. Now each is
    /// a bad row, and only the fitting rows are loaded and summed.
    @Test func badValuesAreBadRowsOnSQLite() throws {
        let c = try ApplyCase("bad_rows")
        try expectSuccess(c.apply("types.yaml", ["--ds", "2025-01-01"]))
        #expect(try c.sqlite("SELECT order_id, amount, typeof(amount) FROM orders ORDER BY order_id") == "1|10.5|real\n6|1.25|real\n7|0.5|real")
        #expect(try c.sqlite("SELECT total, n FROM order_total") == "12.25|3")
        #expect(try c.sqlite("SELECT _pipec_reason FROM orders__quarantine ORDER BY rowid") == """
            line 3: amount 'abc' is not a number
            line 4: order_id '90x4' is not an integer
            line 5: ordered_at 'not-a-date' is not a timestamp (ISO 8601)
            line 6: a field is not valid UTF-8
            """)
        #expect(try c.sqlite("SELECT _pipec_raw FROM orders__quarantine WHERE _pipec_reason LIKE 'line 3:%'") == "2,abc,2025-01-01 02:00:00,amount is text")
    }

    /// Issue 17.8: a header that lacks a column declared not nullable fails the load with the column's name.
    @Test func aHeaderWithoutARequiredColumnFailsTheLoad() throws {
        let c = try ApplyCase("bad_rows")
        let r = try c.apply("missing_column.yaml", ["--ds", "2025-01-01"])
        #expect(r.exitCode == 1, "\(r.transcript)")
        #expect(r.stdout.contains("has no column 'order_id', which may not be NULL"), "\(r.transcript)")
        #expect(try c.sqlite("SELECT count(*) FROM orders") == "0")
    }

    /// Issue 17.7: a row of March in the 2025-01-01 file, and one whose time does not parse, were loaded and never
    /// deleted by a rerun (20 -> 21 -> 22 rows). They are bad rows now; reruns keep exactly the day's 20.
    @Test func rowsOutsideTheIntervalAreBadRows() throws {
        let c = try ApplyCase("bad_rows")
        for _ in 0..<3 {
            try expectSuccess(c.apply("interval.yaml", ["--ds", "2025-01-01", "--rerun"]))
            #expect(try c.sqlite("SELECT count(*), count(DISTINCT event_id), min(event_time), max(event_time) FROM bronze")
                    == "20|20|2025-01-01 00:30:00|2025-01-01 19:30:00")
            #expect(try c.sqlite("SELECT count(*) FROM bronze__quarantine") == "2")
        }
        #expect(try c.sqlite("SELECT _pipec_raw FROM bronze__quarantine ORDER BY _pipec_raw") == "98,not-a-date,5\n99,2025-03-01 10:00:00,5")
    }

    /// Issue 17.6: a TEXT interval column on SQLite (E303 before), with values in three ISO forms; hourly runs and
    /// reruns keep each row exactly once, in its own hour, through the load and through interval_filter().
    @Test func textDatesAreIntervalColumns() throws {
        let c = try ApplyCase("text_dates")
        for _ in 0..<2 {
            for hour in ["00", "10"] { try expectSuccess(c.apply("spec.yaml", ["--ds", "2025-03-01T\(hour):00:00Z", "--rerun"])) }
            #expect(try c.sqlite("SELECT group_concat(id) FROM (SELECT id FROM hits ORDER BY id)") == "1,2,3,4,5,6")
            #expect(try c.sqlite("SELECT group_concat(id) FROM (SELECT id FROM hits_copy ORDER BY id)") == "1,2,3,4,5,6")
        }
    }

    /// Issue 17.4: a query load is checked in its staging table before its rows reach the table, and its columns
    /// are matched by name. Before, a reordered query swapped id and amount, a renamed column loaded under the old
    /// name's position, and a bad or empty extract replaced the day's good rows before its check failed.
    @Test func loadsAreValidatedBeforeTheyReachTheTable() throws {
        let c = try ApplyCase("validate_first")
        _ = try c.sqlite("CREATE TABLE src_sales (id INTEGER, amount REAL, day TEXT); "
                         + "INSERT INTO src_sales VALUES (1, 10, '2025-01-01'), (2, 5, '2025-01-01')", database: "src.sqlite")
        let day = ["--ds", "2025-01-01", "--rerun"]
        let good = "1|10.0|2025-01-01\n2|5.0|2025-01-01"
        func sales() throws -> String { try c.sqlite("SELECT id, amount, day FROM sales ORDER BY id") }
        try expectSuccess(c.apply("spec.yaml", day))
        #expect(try sales() == good)
        try expectSuccess(c.apply("spec.yaml", day + ["--param", "select=day, amount, id"]))
        #expect(try sales() == good, "columns are matched by name")
        let renamed = try c.apply("spec.yaml", day + ["--param", "select=id, amount AS amt, day"])
        #expect(renamed.exitCode == 1, "\(renamed.transcript)")
        #expect(renamed.stdout.contains("returns no column 'amount' (it returns id, amt, day)"), "\(renamed.transcript)")
        #expect(try sales() == good)
        _ = try c.sqlite("UPDATE src_sales SET amount = -5 WHERE id = 2", database: "src.sqlite")
        let bad = try c.apply("spec.yaml", day)
        #expect(bad.exitCode == 1, "\(bad.transcript)")
        #expect(bad.stdout.contains("check expression on sales failed"), "\(bad.transcript)")
        #expect(try sales() == good, "the failing extract never reached the table")
        _ = try c.sqlite("DELETE FROM src_sales", database: "src.sqlite")
        let empty = try c.apply("spec.yaml", day)
        #expect(empty.exitCode == 1, "\(empty.transcript)")
        #expect(empty.stdout.contains("check row_count on sales failed"), "\(empty.transcript)")
        #expect(try sales() == good, "an empty extract does not empty the day")
    }

    @Test func failingErrorCheckFailsTheBuildWithSampleRows() throws {
        let c = try ApplyCase("checks")
        let r = try c.apply("failing.yaml", ["--ds", "2025-01-01"])
        #expect(r.exitCode == 1, "\(r.transcript)")
        #expect(r.stdout.contains("check unique on customers failed: no two rows share id; 1 violation(s)"), "\(r.transcript)")
        #expect(r.stdout.contains("sample:\nid | duplicates\n2 | 2"), "\(r.transcript)")
        #expect(r.stdout.contains("customer_count not run: an upstream task failed"), "\(r.transcript)")
        // Nothing read the bad table.
        #expect(try c.sqlite("SELECT count(*) FROM customer_count") == "0")
        #expect(try c.state("SELECT unit, status FROM pipec_task_instances ORDER BY unit") == "customers|failed")
        #expect(try c.state("SELECT status FROM pipec_runs") == "failed")
        #expect(try c.state("SELECT check_name, status, violations, sample FROM pipec_check_results")
                == "unique|fail|1|id | duplicates\n2 | 2")
        let runs = try c.pipec(["runs", c.path("failing.yaml")])
        #expect(runs.stdout.contains("check customers/unique  fail  1 violation(s)"), "\(runs.transcript)")
    }

    @Test func taskFailingTwiceSucceedsOnTheThirdTry() throws {
        let c = try ApplyCase("retries")
        let r = try c.apply("sqlite.yaml", ["--ds", "2025-01-01"])
        try expectSuccess(r)
        #expect(r.stdout.contains("flaky will retry"), "\(r.transcript)")
        #expect(try c.state("SELECT try_number, status FROM pipec_task_instances WHERE unit = 'flaky' ORDER BY try_number")
                == "1|failed\n2|failed\n3|success")
        #expect(try c.state("SELECT status FROM pipec_intervals WHERE unit = 'flaky'") == "success")
        #expect(try c.sqlite("SELECT count(*) FROM flaky_attempts") == "3")
        let runs = try c.pipec(["runs", c.path("sqlite.yaml")])
        #expect(runs.stdout.contains("flaky  try 3  success"), "\(runs.transcript)")
    }

    /// The sensor gates `after_file` (after: naming a sensor is a data edge); `after_that` only runs after
    /// `after_file` (an ordering edge), so the skip stays above it and it runs (issue 17.1).
    @Test func sensorTimeoutWithSoftFailSkipsItAndItsDownstream() throws {
        let c = try ApplyCase("sensors")
        let r = try c.apply("soft.yaml", ["--ds", "2025-01-01"])
        try expectSuccess(r)
        #expect(try c.state("SELECT unit, status FROM pipec_intervals ORDER BY unit")
                == "after_file|skipped\nafter_that|success\nindependent|success\nwait_for_file|skipped")
        #expect(try c.state("SELECT status FROM pipec_runs") == "success")
        #expect(try c.state("SELECT error FROM pipec_task_instances WHERE unit = 'wait_for_file'").contains("soft_fail skips it"))
        #expect(try c.sqlite("SELECT what FROM marks ORDER BY what") == "after_that\nindependent")
        // Skipped intervals are done: another apply has nothing to do.
        let again = try c.apply("soft.yaml", ["--ds", "2025-01-01"])
        try expectSuccess(again)
        #expect(again.stdout.contains("nothing to do"), "\(again.transcript)")
    }

    @Test func sensorTimeoutWithoutSoftFailFails() throws {
        let c = try ApplyCase("sensors")
        let r = try c.apply("hard.yaml", ["--ds", "2025-01-01"])
        #expect(r.exitCode == 1, "\(r.transcript)")
        #expect(r.stdout.contains("wait_for_file failed (try 1): sensor timed out after 300ms"), "\(r.transcript)")
        #expect(try c.state("SELECT unit, status FROM pipec_intervals ORDER BY unit") == "independent|success")
        #expect(try c.state("SELECT unit, status FROM pipec_task_instances ORDER BY unit") == "independent|success\nwait_for_file|failed")
        #expect(try c.state("SELECT status FROM pipec_runs") == "failed")
        #expect(try c.sqlite("SELECT what FROM marks") == "independent")
    }

    /// `publish` runs after the gate (after: naming a task with `when:` is a data edge), so it is skipped with it;
    /// `announce` only runs after `publish` (an ordering edge): it waits for its end and runs (issue 17.1).
    @Test func whenFalseSkipsTheTaskAndWhatItGates() throws {
        let c = try ApplyCase("short_circuit")
        let r = try c.apply("spec.yaml", ["--ds", "2025-01-01"])
        try expectSuccess(r)
        #expect(try c.state("SELECT unit, status FROM pipec_intervals ORDER BY unit")
                == "announce|success\ngate|skipped\nload_staged|success\npublish|skipped\nstaged_count|success\nunrelated|success")
        #expect(try c.state("SELECT unit FROM pipec_task_instances WHERE status = 'skipped'") == "gate")
        #expect(try c.state("SELECT status FROM pipec_runs") == "success")
        #expect(try c.sqlite("SELECT what FROM marks ORDER BY what") == "announce\nunrelated")
        #expect(try c.sqlite("SELECT n FROM staged_count") == "0")
        #expect(r.stdout.contains("gate skipped: when: is false"), "\(r.transcript)")
    }

    @Test func dependsOnPastBlocksTheNextIntervalInTheSameApply() throws {
        let c = try ApplyCase("depends_on_past")
        let r = try c.apply("spec.yaml", ["--from", "2025-01-01", "--to", "2025-01-03"])
        #expect(r.exitCode == 1, "\(r.transcript)")
        #expect(r.stdout.contains("[2025-01-03] daily not run: depends_on_past: daily of the previous interval (ds 2025-01-02) ended failed"),
                "\(r.transcript)")
        #expect(try c.state("SELECT logical_date, status FROM pipec_task_instances WHERE unit = 'daily' ORDER BY logical_date")
                == "2025-01-01T00:00:00Z|success\n2025-01-02T00:00:00Z|failed")
        // Units without depends_on_past carry on.
        #expect(try c.sqlite("SELECT ds FROM marks ORDER BY ds") == "2025-01-01\nother 2025-01-01\nother 2025-01-02\nother 2025-01-03")
    }

    @Test func dependsOnPastBlocksTheNextIntervalInALaterApply() throws {
        let c = try ApplyCase("depends_on_past")
        #expect(try c.apply("spec.yaml", ["--ds", "2025-01-01"]).exitCode == 0)
        #expect(try c.apply("spec.yaml", ["--ds", "2025-01-02"]).exitCode == 1)
        let blocked = try c.apply("spec.yaml", ["--ds", "2025-01-03"])
        #expect(blocked.exitCode == 1, "\(blocked.transcript)")
        #expect(blocked.stdout.contains("daily not run: depends_on_past: daily of the previous interval (ds 2025-01-02) ended failed"),
                "\(blocked.transcript)")
        // The blocked interval did not succeed either, so it blocks the one after it in turn.
        let next = try c.apply("spec.yaml", ["--ds", "2025-01-04"])
        #expect(next.exitCode == 1, "\(next.transcript)")
        #expect(next.stdout.contains("daily not run: depends_on_past: daily of the previous interval (ds 2025-01-03) did not run"),
                "\(next.transcript)")
        #expect(try c.sqlite("SELECT ds FROM marks WHERE ds NOT LIKE 'other%' ORDER BY ds") == "2025-01-01")
        #expect(try c.state("SELECT count(*) FROM pipec_task_instances WHERE unit = 'daily'") == "2")
    }

    @Test func catchUpRunsEveryDueIntervalOnce() throws {
        let c = try ApplyCase("catchup")
        let first = try c.apply("spec.yaml")
        try expectSuccess(first)
        #expect(first.stdout.contains("4 run(s): 8 succeeded"), "\(first.transcript)")
        let marks = "SELECT ds, count(*) FROM marks GROUP BY ds ORDER BY ds"
        #expect(try c.sqlite(marks) == "2025-01-01|1\n2025-01-02|1\n2025-01-03|1\n2025-01-04|1")

        let second = try c.apply("spec.yaml")
        try expectSuccess(second)
        #expect(second.stdout.contains("nothing to do: every interval is done"), "\(second.transcript)")
        #expect(try c.sqlite(marks) == "2025-01-01|1\n2025-01-02|1\n2025-01-03|1\n2025-01-04|1")

        try expectSuccess(c.apply("spec.yaml", ["--rerun", "--ds", "2025-01-03"]))
        #expect(try c.sqlite(marks) == "2025-01-01|1\n2025-01-02|1\n2025-01-03|2\n2025-01-04|1")
        #expect(try c.state("SELECT logical_date, count(*) FROM pipec_task_instances WHERE unit = 'mark' GROUP BY logical_date ORDER BY 1")
                == "2025-01-01T00:00:00Z|1\n2025-01-02T00:00:00Z|1\n2025-01-03T00:00:00Z|2\n2025-01-04T00:00:00Z|1")
        #expect(try c.state("SELECT count(*) FROM pipec_runs WHERE status = 'success'") == "5")
    }

    @Test func concurrentAppliesRunEachIntervalOnce() throws {
        let c = try ApplyCase("catchup")
        let a = try c.start(["apply", c.path("spec.yaml")])
        let b = try c.start(["apply", c.path("spec.yaml")])
        let ra = try a.wait(), rb = try b.wait()
        try expectSuccess(ra)
        try expectSuccess(rb)
        #expect(try c.sqlite("SELECT ds, count(*) FROM marks GROUP BY ds ORDER BY ds") == "2025-01-01|1\n2025-01-02|1\n2025-01-03|1\n2025-01-04|1")
        #expect(try c.state("SELECT unit, count(*) FROM pipec_task_instances GROUP BY unit ORDER BY unit") == "mark|4\nsummarize|4")
        // One of them ran everything; the other waited for the lock and then found every interval done.
        #expect(try c.state("SELECT count(DISTINCT apply_id) FROM pipec_task_instances") == "1")
        #expect(try c.state("SELECT status FROM pipec_applies") == "success")
        #expect([ra, rb].filter { $0.stdout.contains("nothing to do: every interval is done") }.count == 1, "\(ra.transcript)\n\(rb.transcript)")
    }

    @Test func killedApplyRecoversToTheCleanResult() throws {
        try KillScenario(spec: "sqlite.yaml") {
            let c = try ApplyCase("bigload")
            return (c, {
                try ["raw.events", "day.events"].map { table in
                    let dump = try c.sqlite("SELECT id, name, amount, event_time FROM \"\(table)\" ORDER BY id")
                    return "\(table): \(dump.split(separator: "\n").count) rows, fnv \(fnv1a(dump))"
                }.joined(separator: "; ")
            })
        }.run()
    }

    @Test func specErrorExitsOne() throws {
        let c = try ApplyCase("spec_error")
        let r = try c.apply("spec.yaml", ["--ds", "2025-01-01"])
        #expect(r.exitCode == 1, "\(r.transcript)")
        #expect(r.stderr.contains("unknown resource 'warehouse'"), "\(r.transcript)")
        #expect(!FileManager.default.fileExists(atPath: c.path(".pipec/state.sqlite")))
    }
}
