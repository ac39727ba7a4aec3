import Foundation
import PipecTestSupport
import Testing

/// `pipec run`, as Airflow's workers call it: real pipec processes against a real SQLite warehouse and a SQLite or
/// PostgreSQL state store.
@Suite(.serialized) struct RunCommandTests {
    /// `slow` takes about a second and leaves one row per time it ran; `gate` reads slow's outputs (from the state
    /// store, in another process) and is skipped by its `when:`.
    static func spec(_ pipeline: String) -> String {
        """
        version: 1
        pipeline: \(pipeline)
        schedule: {cron: "@daily", start: 2025-01-01}
        resources:
          db: {kind: sqlite, path: run.sqlite}
        tables:
          ran: {on: db, columns: {n: INTEGER}}
        tasks:
          slow:
            kind: sql
            on: db
            writes: [ran]
            sql: "INSERT INTO ran SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c)"
          gate: {kind: sql, on: db, sql: "SELECT 1", after: [slow], when: "{{ tasks.slow.rows > 1 }}"}
          after_gate: {kind: sql, on: db, sql: "SELECT 1", after: [gate]}
        """
    }

    static let airflowRun = ["--logical-date", "2025-01-01T00:00:00+00:00", "--data-interval-start", "2025-01-01T00:00:00+00:00",
                             "--data-interval-end", "2025-01-02T00:00:00+00:00", "--run-id", "scheduled__2025-01-01T00:00:00+00:00", "--try", "1"]

    static func project(_ pipeline: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try Data(spec(pipeline).utf8).write(to: dir.appendingPathComponent("spec.yaml"))
        return dir
    }

    static func rows(_ dir: URL) throws -> [String] {
        let result = try ChildProcess.run("sqlite3", [dir.appendingPathComponent("run.sqlite").path, "SELECT n FROM ran"])
        return result.stdout.split(separator: "\n").map(String.init)
    }

    static func postgresURL() throws -> String {
        if let url = ProcessInfo.processInfo.environment["PIPEC_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        let output = try ProcessRunner.run("bash", [CLIHarness.packageRoot.appendingPathComponent("scripts/services/postgres.sh").path, "start"])
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Two workers asked for the same unit and interval at once: one runs it, the other waits for its claim, sees
    /// that try finished, and does nothing.
    @Test(arguments: ["sqlite", "postgres"])
    func twoWorkersRunAUnitOnce(state: String) throws {
        let pipeline = "run_claim_\(UInt32.random(in: 0...UInt32.max))"
        let dir = try Self.project(pipeline)
        defer { try? FileManager.default.removeItem(at: dir) }
        let stateArgs = state == "postgres" ? ["--state", try Self.postgresURL()] : []
        let spec = dir.appendingPathComponent("spec.yaml").path
        let binary = CLIHarness.binary.path
        // Another pipeline's DAG has the same run ids and unit names: its record must not count for this one.
        let other = try Self.project(pipeline + "_other")
        defer { try? FileManager.default.removeItem(at: other) }
        let earlier = try CLIHarness.run(["run", other.appendingPathComponent("spec.yaml").path, "slow"] + Self.airflowRun + stateArgs, in: other)
        #expect(earlier.exitCode == 0, "\(earlier.stderr)")
        let first = try ChildProcess(binary, ["run", spec, "slow"] + Self.airflowRun + stateArgs, environment: ["NO_COLOR": "1"])
        let second = try ChildProcess(binary, ["run", spec, "slow"] + Self.airflowRun + stateArgs, environment: ["NO_COLOR": "1"])
        let a = try first.wait(limit: 120), b = try second.wait(limit: 120)
        #expect(a.exitCode == 0 && b.exitCode == 0, "\(a.stderr)\n\(b.stderr)")
        #expect(try Self.rows(dir).count == 1, "the unit ran more than once")
        let outputs = [a.stdout, b.stdout]
        #expect(outputs.filter { $0.contains("slow started") }.count == 1, "\(outputs)")
        #expect(outputs.filter { $0.contains("already ended success in another process") }.count == 1, "\(outputs)")

        // The next unit reads slow's outputs from the state store: rows = 1, so its when: is false and it is skipped
        // with the exit code Airflow's BashOperator maps to skipped.
        let gate = try CLIHarness.run(["run", spec, "gate"] + Self.airflowRun + stateArgs, in: dir)
        #expect(gate.exitCode == 99, "\(gate.stdout)\n\(gate.stderr)")
        #expect(gate.stdout.contains("when: is false (False)"), "\(gate.stdout)")

        // pipec apply sees what the workers did: slow and gate are done for that interval.
        let runs = try CLIHarness.run(["runs", spec] + stateArgs, in: dir)
        #expect(runs.stdout.contains("apply airflow:\(pipeline):scheduled__2025-01-01T00:00:00+00:00"), "\(runs.stdout)")
        #expect(runs.stdout.contains("slow  try 1  success"), "\(runs.stdout)")
        #expect(runs.stdout.contains("gate  try 1  skipped"), "\(runs.stdout)")
    }

    /// A try Airflow will retry sends on_retry, not on_failure, and records Airflow's try number.
    @Test func aFailedTryIsRecordedWithAirflowsTryNumber() throws {
        let dir = try Self.project("run_try")
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("spec.yaml")
        let text = Self.spec("run_try") + "\n  broken: {kind: sql, on: db, sql: \"SELECT * FROM no_such_table\", retries: 2}\n"
        try Data(text.utf8).write(to: spec)
        let args = Self.airflowRun.dropLast(2) + ["--try", "2"]
        let result = try CLIHarness.run(["run", spec.path, "broken"] + args, in: dir)
        #expect(result.exitCode == 1)
        let runs = try CLIHarness.run(["runs", spec.path], in: dir)
        #expect(runs.stdout.contains("broken  try 2  failed"), "\(runs.stdout)")
    }

    /// A worker killed in the middle of a load (Airflow's worker lost, a timeout's SIGKILL): Airflow's next try runs
    /// the unit again, which replaces the interval's rows (append deletes the interval first, in one transaction with
    /// the insert), so no row is doubled; the killed try shows as interrupted.
    @Test func aTryKilledMidLoadIsRetriedWithoutDuplicates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-run-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = 1_500_000
        var csv = "id,v,at\n"
        csv.reserveCapacity(rows * 32)
        for i in 0..<rows { csv += "\(i),value \(i),2025-01-01 12:00:00\n" }
        try Data(csv.utf8).write(to: dir.appendingPathComponent("data/big.csv"))
        let spec = dir.appendingPathComponent("spec.yaml")
        try Data("""
            version: 1
            pipeline: run_kill
            schedule: {cron: "@daily", start: 2025-01-01}
            resources:
              db: {kind: sqlite, path: kill.sqlite}
              landing: {kind: file, root: data/}
            tables:
              big: {on: db, columns: {id: INTEGER, v: TEXT, at: TIMESTAMP}}
            tasks:
              load_big:
                kind: load
                from: {object: {on: landing, key: big.csv, format: csv, header: true}}
                into: big
                strategy: append
                interval_column: at
            """.utf8).write(to: spec)
        let first = try ChildProcess(CLIHarness.binary.path, ["run", spec.path, "load_big"] + Self.airflowRun, environment: ["NO_COLOR": "1"])
        let deadline = Date(timeIntervalSinceNow: 60)
        while !first.stdoutSoFar.contains("load_big started") && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: 0.3)
        kill(first.pid, SIGKILL)
        let killed = try first.wait(limit: 30)
        #expect(killed.signal == SIGKILL, "the first try ended before it was killed: \(killed.stdout)")

        let retry = try CLIHarness.run(["run", spec.path, "load_big"] + Self.airflowRun.dropLast(2) + ["--try", "2"], in: dir)
        #expect(retry.exitCode == 0, "\(retry.stdout)\n\(retry.stderr)")
        let count = try ChildProcess.run("sqlite3", [dir.appendingPathComponent("kill.sqlite").path, "SELECT count(*), count(DISTINCT id) FROM big"])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(rows)|\(rows)")
        let runs = try CLIHarness.run(["runs", spec.path], in: dir)
        #expect(runs.stdout.contains("load_big  try 1  interrupted"), "\(runs.stdout)")
        #expect(runs.stdout.contains("load_big  try 2  success"), "\(runs.stdout)")
    }

    /// On a SQLite warehouse, a unit whose write meets another process's open write transaction (another task's
    /// load) waits for it, longer than SQLite's default 5 s, instead of failing.
    @Test func aWriterWaitsForAnotherProcessesTransaction() throws {
        let dir = try Self.project("run_busy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("spec.yaml").path
        let setup = try CLIHarness.run(["run", spec, "--setup"] + Self.airflowRun, in: dir)
        #expect(setup.exitCode == 0, "\(setup.stdout)\n\(setup.stderr)")
        let database = dir.appendingPathComponent("run.sqlite").path
        let holder = try ChildProcess("python3", ["-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO ran VALUES (-1)")
            print("holding", flush=True)
            time.sleep(7)
            db.execute("COMMIT")
            """, database])
        let deadline = Date(timeIntervalSinceNow: 30)
        while !holder.stdoutSoFar.contains("holding") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let started = Date()
        let result = try CLIHarness.run(["run", spec, "slow"] + Self.airflowRun, in: dir)
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(Date().timeIntervalSince(started) > 5, "the write did not meet the open transaction")
        try holder.wait(limit: 30)
        #expect(try Self.rows(dir).sorted() == ["-1", "3000000"])
    }
}
