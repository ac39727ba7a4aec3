import Foundation
import Testing

/// What `Tests/Fixtures/apply/checks` (sqlite.yaml, postgres.yaml) must leave behind after one day, on either engine:
/// the rows error checks rejected are in `orders__quarantine` with the reason, the CSV line the load could not read is
/// in `payments__quarantine`, warn checks are recorded without failing anything, every result is in
/// `pipec_check_results` and `pipec runs`, and a rerun quarantines the same rows again instead of adding copies.
enum ChecksExpectations {
    static func verify(_ c: ApplyCase, spec: String, stateArguments: [String] = [], read: TableReader,
                       state: (String) throws -> String) throws {
        let runID = "scheduled__2025-01-01T00:00:00+00:00"
        let orders = "SELECT id, country, amount FROM orders ORDER BY id"
        let ordersQuarantine = "SELECT id, country, amount, _pipec_check, _pipec_reason, _pipec_run_id FROM orders__quarantine ORDER BY id"
        let paymentsQuarantine = "SELECT payment_id, _pipec_check, _pipec_reason, _pipec_raw, _pipec_run_id FROM payments__quarantine"
        for attempt in ["first apply", "--rerun"] {
            #expect(try read.run(orders) == "1|DE|10\n2|FR|-5\n5|DE|1", "\(attempt)")
            #expect(try read.run(ordersQuarantine) == """
                3||7|not_null|violates: country is never NULL|\(runID)
                4|XX|3|accepted_values|violates: country is one of DE, FR|\(runID)
                """, "\(attempt)")
            #expect(try read.run("SELECT payment_id, order_id, amount FROM payments ORDER BY payment_id") == "1|1|10\n3|3|7", "\(attempt)")
            #expect(try read.run(paymentsQuarantine) == "|load|line 3: 4 fields, expected 3|2,2,oops,extra|\(runID)", "\(attempt)")
            if attempt == "first apply" {
                try expectSuccess(c.apply(spec, ["--ds", "2025-01-01", "--rerun"] + stateArguments))
            }
        }
        #expect(try state("""
            SELECT unit, check_name, severity, status, violations FROM pipec_check_results
            WHERE apply_id = (SELECT min(apply_id) FROM pipec_check_results) ORDER BY unit, check_name
            """) == """
            load_payments|bad_rows|error|quarantined|1
            orders|accepted_values|error|quarantined|1
            orders|expression|warn|warn|1
            orders|not_null|error|quarantined|1
            orders|row_count|warn|warn|1
            """)
        // Rows written are the rows that stayed: 5 built, 2 quarantined; 2 of the file's 3 lines loaded.
        #expect(try state("SELECT DISTINCT unit, rows_written FROM pipec_task_instances ORDER BY unit") == "load_payments|2\norders|3")
        #expect(try state("SELECT DISTINCT status FROM pipec_runs") == "success")
        let runs = try c.pipec(["runs", c.path(spec)] + stateArguments)
        for line in ["orders  try 1  success", "check orders/not_null  quarantined  1 violation(s)",
                     "check orders/accepted_values  quarantined  1 violation(s)", "check orders/expression  warn  1 violation(s)",
                     "check orders/row_count  warn  1 violation(s)", "check load_payments/bad_rows  quarantined  1 violation(s)"] {
            #expect(runs.stdout.contains(line), "pipec runs lacks '\(line)':\n\(runs.transcript)")
        }
    }
}
