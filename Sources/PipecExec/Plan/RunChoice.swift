import PipecModel
import PipecPlan
import PipecSchedule

/// Which intervals an apply covers and what the state store already has done: shared by `pipec apply` and
/// `pipec plan`, so the plan shows exactly the intervals apply would run.
struct RunChoice {
    var runs: [RunTimes]
    /// Per run id: the units whose interval is done (unit → status). Empty under `--rerun`.
    var done: [String: [String: String]]

    /// The runs asked for (`--ds`, `--from/--to`), or those due now per the schedule. `state` nil: nothing is done.
    static func choose(_ pipeline: Pipeline, selection: RunSelection?, rerun: Bool, state: StateStore?, now: Instant) throws -> RunChoice {
        let runs: [RunTimes]
        if let selection {
            do throws(RunSelection.Problem) {
                runs = try selection.runs(for: pipeline)
            } catch {
                // A malformed date is the caller's usage error; no runs is a failed command (E700).
                if error.kind == .malformed { throw error }
                throw EngineError(error.text)
            }
        } else {
            guard let schedule = pipeline.schedule?.schedule, schedule.kind != .manual else {
                throw EngineError("\(pipeline.name.value) has no schedule: give --ds D or --from A --to B")
            }
            runs = schedule.dueRuns(now: now)
        }
        return RunChoice(runs: runs, done: try doneUnits(pipeline.name.value, runs: runs, rerun: rerun, state: state))
    }

    static func doneUnits(_ pipeline: String, runs: [RunTimes], rerun: Bool, state: StateStore?) throws -> [String: [String: String]] {
        var done: [String: [String: String]] = [:]
        guard !rerun, let state else { return done }
        for run in runs {
            done[run.runId] = try state.doneUnits(pipeline: pipeline, logicalDate: run.logicalDate.description)
        }
        return done
    }

    /// The units of `run` that would run: those `--only` names (all without it) whose interval is not done.
    static func pending(_ run: PlanRun, done: [String: [String: String]], only: [String]) -> [PlanUnit] {
        let finished = done[run.runId] ?? [:]
        let wanted = Set(only)
        return run.units.filter { (wanted.isEmpty || wanted.contains($0.id)) && finished[$0.id] == nil }
    }
}
