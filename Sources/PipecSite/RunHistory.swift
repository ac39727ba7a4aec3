import Foundation
import PipecExec
import PipecModel

/// What the state store remembers about one pipeline, as the site shows it: the last runs (oldest first), each
/// with its task instances (every try) and check results. Read only; nothing is written.
public struct RunHistory: Sendable {
    public struct Run: Sendable {
        public var summary: StateStore.RunSummary
        public var tries: [TaskInstanceRecord]
        public var checks: [CheckResultRecord]
    }

    /// Where the history came from (the store's display form, no password).
    public var source: String
    public var runs: [Run]

    public init(source: String, runs: [Run]) {
        self.source = source
        self.runs = runs
    }

    /// The last `limit` runs of `pipeline` in `store`.
    public static func read(from store: StateStore, source: String, pipeline: String, limit: Int) throws -> RunHistory {
        let summaries = try store.recentRuns(pipeline: pipeline, limit: limit)
        var runs: [Run] = []
        for summary in summaries.reversed() {
            runs.append(Run(summary: summary,
                            tries: try store.taskInstances(applyID: summary.applyID, runID: summary.runID),
                            checks: try store.checkResults(applyID: summary.applyID, runID: summary.runID)))
        }
        return RunHistory(source: source, runs: runs)
    }

    /// The store at `location`, or nil when it is a SQLite file that does not exist: reading must not create it.
    public static func openIfPresent(_ location: StateLocation) throws -> StateStore? {
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) { return nil }
        return try location.open()
    }

    /// One unit's part of one run: its tries (in order) and its check results.
    struct UnitRun {
        var run: StateStore.RunSummary
        var tries: [TaskInstanceRecord]
        var checks: [CheckResultRecord]
        var last: TaskInstanceRecord? { tries.last }
    }

    /// For each unit, the runs in which it ran or was checked, oldest first: one pass over the history, so a
    /// 10,000-table pipeline does not scan every run once per table.
    func byUnit() -> [String: [UnitRun]] {
        var out: [String: [UnitRun]] = [:]
        for run in runs {
            var tries: [String: [TaskInstanceRecord]] = [:]
            var checks: [String: [CheckResultRecord]] = [:]
            var order: [String] = []
            for t in run.tries {
                if tries[t.unit] == nil && checks[t.unit] == nil { order.append(t.unit) }
                tries[t.unit, default: []].append(t)
            }
            for c in run.checks {
                if tries[c.unit] == nil && checks[c.unit] == nil { order.append(c.unit) }
                checks[c.unit, default: []].append(c)
            }
            for unit in order {
                out[unit, default: []].append(UnitRun(run: run.summary, tries: tries[unit] ?? [], checks: checks[unit] ?? []))
            }
        }
        return out
    }

    /// Rows moved to a quarantine (or dropped and counted) per run, from the check results that say so.
    static func quarantined(_ checks: [CheckResultRecord]) -> Int {
        checks.filter { $0.status == "quarantined" || $0.status == "skipped_rows" }.reduce(0) { $0 + ($1.violations ?? 0) }
    }
}
