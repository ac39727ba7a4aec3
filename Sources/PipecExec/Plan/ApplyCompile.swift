import PipecModel
import PipecPlan
import PipecSchedule

extension Applier {
    /// The plan apply carries out for `runs`. With no runs (none due, or none asked for) it is compiled for the
    /// schedule's first run and its runs are dropped: ensure still describes every table, so the tables converge
    /// even when no interval runs.
    static func compile(_ pipeline: Pipeline, runs: [RunTimes], options: PlanOptions, units: Set<String>? = nil) throws -> Plan {
        let compileRuns: [RunTimes]
        if runs.isEmpty {
            do throws(RunSelection.Problem) {
                compileRuns = try RunSelection.first.runs(for: pipeline)
            } catch {
                throw EngineError(error.message)
            }
        } else {
            compileRuns = runs
        }
        var plan: Plan
        do throws(PlanCompileError) {
            plan = try PlanCompiler.compile(pipeline, runs: compileRuns, options: options, units: units)
        } catch {
            throw EngineError(error.diagnostics.map { "\($0.location.map { "\($0): " } ?? "")\($0.message) [\($0.code)]" }.joined(separator: "\n"))
        }
        if runs.isEmpty { plan.runs = [] }
        return plan
    }
}
