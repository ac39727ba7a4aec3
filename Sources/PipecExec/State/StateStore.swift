import Foundation
import PipecSchedule
import PipecTemplate

/// What one `pipec apply` process is doing, as recorded for `pipec runs`.
public struct ApplyRecord: Sendable, Hashable {
    public var id: String
    public var pipeline: String
    public var specHash: String
    public var command: String
    public var host: String
    public var pid: Int32
}

public enum RunStatus: String, Sendable, Hashable {
    case running, success, failed, interrupted
}

public struct TaskInstanceRecord: Sendable, Hashable {
    public var applyID: String
    public var pipeline: String
    public var runID: String
    public var logicalDate: String
    public var unit: String
    public var tryNumber: Int
    public var status: String
    public var startedAt: String
    public var endedAt: String?
    public var durationMilliseconds: Int64?
    public var rows: Int?
    public var peakRSSKilobytes: Int?
    public var error: String?
}

public struct CheckResultRecord: Sendable, Hashable {
    public var applyID: String
    public var pipeline: String
    public var runID: String
    public var unit: String
    public var check: String
    public var severity: String
    public var status: String
    public var violations: Int?
    public var observed: String?
    public var sample: String?
    public var assertion: String
}

/// The record of what ran: applies, runs (intervals), task instances with their tries, completed intervals per
/// unit (what makes reruns do nothing), check results (the validation log) and per-task measurements.
///
/// Every write is a small transaction, so a killed process leaves a consistent history (its last apply simply
/// stays `running` and is shown as such); completed intervals are written only after a unit's work committed.
public final class StateStore: @unchecked Sendable {
    let db: any StateConnection
    private let lock = NSLock()
    /// Applied to every text written (errors echo what servers and databases said, the command line may hold a
    /// `--state` URL): state rows never hold a secret.
    private var redact: (@Sendable (String) -> String)?

    public init(_ db: any StateConnection) throws {
        self.db = db
        try migrate()
    }

    static let schema: [String] = [
        """
        CREATE TABLE IF NOT EXISTS pipec_applies (
            apply_id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, spec_hash TEXT NOT NULL, command TEXT NOT NULL,
            host TEXT NOT NULL, pid INTEGER NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, status TEXT NOT NULL, message TEXT)
        """,
        """
        CREATE TABLE IF NOT EXISTS pipec_runs (
            apply_id TEXT NOT NULL, pipeline TEXT NOT NULL, run_id TEXT NOT NULL, logical_date TEXT NOT NULL, ds TEXT NOT NULL,
            interval_start TEXT NOT NULL, interval_end TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, status TEXT NOT NULL,
            PRIMARY KEY (apply_id, run_id))
        """,
        """
        CREATE TABLE IF NOT EXISTS pipec_task_instances (
            apply_id TEXT NOT NULL, pipeline TEXT NOT NULL, run_id TEXT NOT NULL, logical_date TEXT NOT NULL, unit TEXT NOT NULL,
            try_number INTEGER NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, duration_ms BIGINT,
            rows_written BIGINT, rows_per_second DOUBLE PRECISION, peak_rss_kb BIGINT, error TEXT,
            PRIMARY KEY (apply_id, run_id, unit, try_number))
        """,
        """
        CREATE TABLE IF NOT EXISTS pipec_intervals (
            pipeline TEXT NOT NULL, unit TEXT NOT NULL, logical_date TEXT NOT NULL, status TEXT NOT NULL, content_hash TEXT NOT NULL,
            apply_id TEXT NOT NULL, finished_at TEXT NOT NULL,
            PRIMARY KEY (pipeline, unit, logical_date))
        """,
        """
        CREATE TABLE IF NOT EXISTS pipec_check_results (
            apply_id TEXT NOT NULL, pipeline TEXT NOT NULL, run_id TEXT NOT NULL, unit TEXT NOT NULL, check_name TEXT NOT NULL,
            severity TEXT NOT NULL, status TEXT NOT NULL, violations BIGINT, observed TEXT, sample TEXT, assertion TEXT NOT NULL,
            checked_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS pipec_task_outputs (
            pipeline TEXT NOT NULL, unit TEXT NOT NULL, logical_date TEXT NOT NULL, outputs TEXT NOT NULL, written_at TEXT NOT NULL,
            PRIMARY KEY (pipeline, unit, logical_date))
        """,
        "CREATE INDEX IF NOT EXISTS pipec_runs_by_pipeline ON pipec_runs (pipeline, started_at)",
        "CREATE INDEX IF NOT EXISTS pipec_task_instances_by_run ON pipec_task_instances (pipeline, run_id)",
        "CREATE INDEX IF NOT EXISTS pipec_check_results_by_run ON pipec_check_results (pipeline, run_id)",
    ]

    private func migrate() throws {
        try db.inTransaction {
            // Processes creating the tables of a fresh shared store at once would collide in PostgreSQL's catalog
            // (CREATE TABLE IF NOT EXISTS is not safe against itself): one at a time.
            if db.isPostgres { try db.run("SELECT pg_advisory_xact_lock(hashtext('pipec state store schema'))", []) }
            for statement in Self.schema {
                try db.run(db.isPostgres ? statement : statement.replacingOccurrences(of: "DOUBLE PRECISION", with: "REAL"), [])
            }
        }
    }

    static func now() -> String { Instant.now().description }

    /// Redacts every text written from now on through `boundary`.
    public func redactWrites(with boundary: SecretBoundary) {
        lock.withLock { redact = { boundary.redact($0) } }
    }

    private func run(_ sql: String, _ parameters: [String?]) throws {
        try lock.withLock { try write(sql, parameters) }
    }

    /// Every write of a row goes through here, redacted; the caller holds the lock.
    private func write(_ sql: String, _ parameters: [String?]) throws {
        try db.run(sql, redact.map { f in parameters.map { $0.map(f) } } ?? parameters)
    }

    private func rows(_ sql: String, _ parameters: [String?]) throws -> [[String?]] {
        try lock.withLock { try db.rows(sql, parameters) }
    }

    // MARK: writes

    public func beginApply(_ a: ApplyRecord) throws {
        try run("INSERT INTO pipec_applies (apply_id, pipeline, spec_hash, command, host, pid, started_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'running')",
                [a.id, a.pipeline, a.specHash, a.command, a.host, String(a.pid), Self.now()])
    }

    public func finishApply(_ id: String, status: RunStatus, message: String?) throws {
        try run("UPDATE pipec_applies SET status = ?, ended_at = ?, message = ? WHERE apply_id = ?", [status.rawValue, Self.now(), message, id])
    }

    /// Keeps applies of `pipeline` from other machines (or checkouts) that share this store off it while this
    /// process lives: a PostgreSQL session advisory lock, which the server drops when the connection ends, so a
    /// killed apply never leaves it held. A SQLite store needs none: the pipeline's lock file lives beside it.
    public func lockPipeline(_ pipeline: String, waiting: (String) -> Void) throws {
        guard let shared = db as? PostgresStateConnection else { return }
        var told = false
        while try !shared.tryLock("pipec apply \(pipeline)") {
            if !told { waiting("another pipec apply of \(pipeline) is running on this state store; waiting for it to finish") }
            told = true
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// Applies of `pipeline` on this host still recorded as running although their process is gone (killed,
    /// crashed, the machine restarted) become interrupted, with their runs and the tries they were in, so history
    /// does not show them running forever. The caller holds the pipeline's lock; an apply whose pid is alive (or
    /// was reused) is left alone. Returns the ids it closed.
    public func closeAbandonedApplies(pipeline: String, host: String) throws -> [String] {
        let running = try rows("SELECT apply_id, pid FROM pipec_applies WHERE pipeline = ? AND host = ? AND status = 'running'", [pipeline, host])
        var closed: [String] = []
        for row in running {
            guard let id = row[0], let pid = row[1].flatMap({ Int32($0) }), pid != ProcessInfo.processInfo.processIdentifier,
                  kill(pid, 0) != 0 && errno == ESRCH else { continue }
            let now = Self.now()
            try lock.withLock {
                try db.inTransaction {
                    try write("UPDATE pipec_applies SET status = 'interrupted', ended_at = ?, message = ? WHERE apply_id = ? AND status = 'running'",
                               [now, "the apply (pid \(pid)) ended without finishing: killed or crashed", id])
                    try write("UPDATE pipec_runs SET status = 'interrupted', ended_at = ? WHERE apply_id = ? AND status = 'running'", [now, id])
                    try write("UPDATE pipec_task_instances SET status = 'interrupted', ended_at = ?, error = ? WHERE apply_id = ? AND status = 'running'",
                               [now, "the apply ended during this try: killed or crashed", id])
                }
            }
            closed.append(id)
        }
        return closed
    }

    public func beginRun(applyID: String, pipeline: String, runID: String, logicalDate: String, ds: String, intervalStart: String, intervalEnd: String) throws {
        try run("""
            INSERT INTO pipec_runs (apply_id, pipeline, run_id, logical_date, ds, interval_start, interval_end, started_at, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running')
            """, [applyID, pipeline, runID, logicalDate, ds, intervalStart, intervalEnd, Self.now()])
    }

    public func finishRun(applyID: String, runID: String, status: RunStatus) throws {
        try run("UPDATE pipec_runs SET status = ?, ended_at = ? WHERE apply_id = ? AND run_id = ?", [status.rawValue, Self.now(), applyID, runID])
    }

    /// Records a try (inserted when it starts, replaced when it ends). With `done`, the unit's interval is marked
    /// complete in the same transaction: one commit per finished task instead of two.
    public func recordTaskInstance(_ t: TaskInstanceRecord, done: (status: String, contentHash: String)? = nil) throws {
        let rate: String? = {
            guard let rows = t.rows, let ms = t.durationMilliseconds, ms > 0 else { return nil }
            return String(format: "%.1f", Double(rows) * 1000 / Double(ms))
        }()
        try lock.withLock {
            try db.inTransaction {
                try write("""
                    INSERT INTO pipec_task_instances (apply_id, pipeline, run_id, logical_date, unit, try_number, status, started_at, ended_at,
                                                      duration_ms, rows_written, rows_per_second, peak_rss_kb, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (apply_id, run_id, unit, try_number) DO UPDATE SET
                        status = excluded.status, started_at = excluded.started_at, ended_at = excluded.ended_at,
                        duration_ms = excluded.duration_ms, rows_written = excluded.rows_written,
                        rows_per_second = excluded.rows_per_second, peak_rss_kb = excluded.peak_rss_kb, error = excluded.error
                    """, [t.applyID, t.pipeline, t.runID, t.logicalDate, t.unit, String(t.tryNumber), t.status, t.startedAt, t.endedAt,
                          t.durationMilliseconds.map(String.init), t.rows.map(String.init), rate, t.peakRSSKilobytes.map(String.init), t.error])
                if let done {
                    try markDone(pipeline: t.pipeline, unit: t.unit, logicalDate: t.logicalDate, status: done.status,
                                 contentHash: done.contentHash, applyID: t.applyID)
                }
            }
        }
    }

    /// Marks a unit's interval done (success or skipped); a rerun of the interval replaces the row.
    public func markIntervalDone(pipeline: String, unit: String, logicalDate: String, status: String, contentHash: String, applyID: String) throws {
        try lock.withLock {
            try markDone(pipeline: pipeline, unit: unit, logicalDate: logicalDate, status: status, contentHash: contentHash, applyID: applyID)
        }
    }

    private func markDone(pipeline: String, unit: String, logicalDate: String, status: String, contentHash: String, applyID: String) throws {
        try write("""
            INSERT INTO pipec_intervals (pipeline, unit, logical_date, status, content_hash, apply_id, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (pipeline, unit, logical_date) DO UPDATE SET
                status = excluded.status, content_hash = excluded.content_hash, apply_id = excluded.apply_id, finished_at = excluded.finished_at
            """, [pipeline, unit, logicalDate, status, contentHash, applyID, Self.now()])
    }

    public func recordCheck(_ c: CheckResultRecord) throws {
        try run("""
            INSERT INTO pipec_check_results (apply_id, pipeline, run_id, unit, check_name, severity, status, violations, observed, sample, assertion, checked_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [c.applyID, c.pipeline, c.runID, c.unit, c.check, c.severity, c.status, c.violations.map(String.init), c.observed, c.sample,
                  c.assertion, Self.now()])
    }

    /// Keeps a task's outputs for units run by other processes (`pipec run` on Airflow's workers).
    public func saveOutputs(pipeline: String, unit: String, logicalDate: String, _ outputs: [(String, TemplateValue)]) throws {
        try run("""
            INSERT INTO pipec_task_outputs (pipeline, unit, logical_date, outputs, written_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (pipeline, unit, logical_date) DO UPDATE SET outputs = excluded.outputs, written_at = excluded.written_at
            """, [pipeline, unit, logicalDate, TaskOutputCodec.encode(outputs), Self.now()])
    }

    /// The outputs tasks of `pipeline` saved for this logical date, by task name.
    public func savedOutputs(pipeline: String, logicalDate: String) throws -> [(String, [(String, TemplateValue)])] {
        try rows("SELECT unit, outputs FROM pipec_task_outputs WHERE pipeline = ? AND logical_date = ? ORDER BY written_at, unit",
                 [pipeline, logicalDate]).compactMap { row in
            guard let unit = row[0], let text = row[1] else { return nil }
            return (unit, TaskOutputCodec.decode(text))
        }
    }

    // MARK: Airflow runs (`pipec run`)

    /// The record of one Airflow DAG run, shared by its task instances: one apply row (`airflow:<pipeline>:<run id>`) and one run
    /// row, created by whichever task starts first.
    public func beginAirflowRun(applyID: String, pipeline: String, specHash: String, command: String, runID: String, logicalDate: String,
                                ds: String, intervalStart: String, intervalEnd: String) throws {
        let now = Self.now()
        try lock.withLock {
            try db.inTransaction {
                try db.run("""
                    INSERT INTO pipec_applies (apply_id, pipeline, spec_hash, command, host, pid, started_at, status) VALUES (?, ?, ?, ?, 'airflow', 0, ?, 'running')
                    ON CONFLICT (apply_id) DO NOTHING
                    """, [applyID, pipeline, specHash, command, now])
                try db.run("""
                    INSERT INTO pipec_runs (apply_id, pipeline, run_id, logical_date, ds, interval_start, interval_end, started_at, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running') ON CONFLICT (apply_id, run_id) DO NOTHING
                    """, [applyID, pipeline, runID, logicalDate, ds, intervalStart, intervalEnd, now])
            }
        }
    }

    /// After one task of an Airflow run: the run (and its apply row) shows failed once any task failed; otherwise
    /// the last task's status.
    public func finishAirflowUnit(applyID: String, runID: String, status: RunStatus) throws {
        let now = Self.now()
        try lock.withLock {
            try db.inTransaction {
                try db.run("UPDATE pipec_runs SET status = CASE WHEN status = 'failed' THEN 'failed' ELSE ? END, ended_at = ? WHERE apply_id = ? AND run_id = ?",
                           [status.rawValue, now, applyID, runID])
                try db.run("UPDATE pipec_applies SET status = CASE WHEN status = 'failed' THEN 'failed' ELSE ? END, ended_at = ? WHERE apply_id = ?",
                           [status.rawValue, now, applyID])
            }
        }
    }

    /// How this try of the unit already ended, when another process ran it (success or skipped), else nil.
    public func finishedTry(pipeline: String, applyID: String, runID: String, unit: String, tryNumber: Int) throws -> String? {
        try rows("""
            SELECT status FROM pipec_task_instances WHERE pipeline = ? AND apply_id = ? AND run_id = ? AND unit = ? AND try_number = ?
            AND status IN ('success', 'skipped')
            """, [pipeline, applyID, runID, unit, String(tryNumber)]).first?[0] ?? nil
    }

    /// Tries of the unit still recorded as running: their process is gone (the caller holds the unit's claim).
    public func closeAbandonedTries(pipeline: String, applyID: String, runID: String, unit: String) throws {
        try run("""
            UPDATE pipec_task_instances SET status = 'interrupted', ended_at = ?, error = 'the process ended during this try: killed or crashed'
            WHERE pipeline = ? AND apply_id = ? AND run_id = ? AND unit = ? AND status = 'running'
            """, [Self.now(), pipeline, applyID, runID, unit])
    }

    // MARK: reads

    /// Units whose interval with this logical date is done, by unit name.
    public func doneUnits(pipeline: String, logicalDate: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for r in try rows("SELECT unit, status FROM pipec_intervals WHERE pipeline = ? AND logical_date = ?", [pipeline, logicalDate]) {
            if let u = r[0] { out[u] = r[1] ?? "" }
        }
        return out
    }

    /// The last state of a unit for a logical date (depends_on_past, pipeline sensors): success / skipped / failed.
    public func lastState(pipeline: String, unit: String?, logicalDate: String) throws -> String? {
        if let unit {
            let done = try rows("SELECT status FROM pipec_intervals WHERE pipeline = ? AND unit = ? AND logical_date = ?", [pipeline, unit, logicalDate])
            if let s = done.first?[0] { return s }
            let last = try rows("""
                SELECT status FROM pipec_task_instances WHERE pipeline = ? AND unit = ? AND logical_date = ?
                ORDER BY started_at DESC, try_number DESC LIMIT 1
                """, [pipeline, unit, logicalDate])
            return last.first?[0] ?? nil
        }
        let runs = try rows("SELECT status FROM pipec_runs WHERE pipeline = ? AND logical_date = ? ORDER BY started_at DESC LIMIT 1", [pipeline, logicalDate])
        return runs.first?[0] ?? nil
    }

    /// How a unit's interval ended, for depends_on_past in a later apply: nil when it is done (success or skipped) or
    /// was never attempted (no run of that interval is recorded: the first interval, or one never applied); else the
    /// status of its last try, or "not run" when its run did not get to it (an upstream failed, the apply was killed).
    public func unfinishedState(pipeline: String, unit: String, logicalDate: String) throws -> String? {
        let done = try rows("SELECT status FROM pipec_intervals WHERE pipeline = ? AND unit = ? AND logical_date = ?", [pipeline, unit, logicalDate])
        if !done.isEmpty { return nil }
        let last = try rows("""
            SELECT status FROM pipec_task_instances WHERE pipeline = ? AND unit = ? AND logical_date = ?
            ORDER BY started_at DESC, try_number DESC LIMIT 1
            """, [pipeline, unit, logicalDate])
        if let status = last.first?[0] ?? nil { return status == "success" || status == "skipped" ? nil : status }
        let recorded = try rows("SELECT 1 FROM pipec_runs WHERE pipeline = ? AND logical_date = ? LIMIT 1", [pipeline, logicalDate])
        return recorded.isEmpty ? nil : "not run"
    }

    public struct RunSummary: Sendable {
        public var applyID: String
        public var runID: String
        public var ds: String
        public var status: String
        public var startedAt: String
        public var endedAt: String?
    }

    public func recentRuns(pipeline: String, limit: Int) throws -> [RunSummary] {
        try rows("""
            SELECT apply_id, run_id, ds, status, started_at, ended_at FROM pipec_runs WHERE pipeline = ?
            ORDER BY started_at DESC, run_id DESC LIMIT ?
            """, [pipeline, String(limit)]).map {
            RunSummary(applyID: $0[0] ?? "", runID: $0[1] ?? "", ds: $0[2] ?? "", status: $0[3] ?? "", startedAt: $0[4] ?? "", endedAt: $0[5])
        }
    }

    public func taskInstances(applyID: String, runID: String) throws -> [TaskInstanceRecord] {
        try rows("""
            SELECT apply_id, pipeline, run_id, logical_date, unit, try_number, status, started_at, ended_at, duration_ms, rows_written, peak_rss_kb, error
            FROM pipec_task_instances WHERE apply_id = ? AND run_id = ? ORDER BY started_at, unit, try_number
            """, [applyID, runID]).map {
            TaskInstanceRecord(applyID: $0[0] ?? "", pipeline: $0[1] ?? "", runID: $0[2] ?? "", logicalDate: $0[3] ?? "", unit: $0[4] ?? "",
                               tryNumber: Int($0[5] ?? "") ?? 0, status: $0[6] ?? "", startedAt: $0[7] ?? "", endedAt: $0[8],
                               durationMilliseconds: $0[9].flatMap { Int64($0) }, rows: $0[10].flatMap { Int($0) },
                               peakRSSKilobytes: $0[11].flatMap { Int($0) }, error: $0[12])
        }
    }

    public func checkResults(applyID: String, runID: String) throws -> [CheckResultRecord] {
        try rows("""
            SELECT apply_id, pipeline, run_id, unit, check_name, severity, status, violations, observed, sample, assertion
            FROM pipec_check_results WHERE apply_id = ? AND run_id = ? ORDER BY checked_at, unit, check_name
            """, [applyID, runID]).map {
            CheckResultRecord(applyID: $0[0] ?? "", pipeline: $0[1] ?? "", runID: $0[2] ?? "", unit: $0[3] ?? "", check: $0[4] ?? "",
                              severity: $0[5] ?? "", status: $0[6] ?? "", violations: $0[7].flatMap { Int($0) }, observed: $0[8], sample: $0[9],
                              assertion: $0[10] ?? "")
        }
    }
}
