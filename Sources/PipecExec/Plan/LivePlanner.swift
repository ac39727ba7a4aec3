import PipecModel
import PipecPlan
import PipecSchedule

/// Builds a `LivePlan`: the same choice of runs, compile and schema comparison apply makes, without writing
/// anything (no lock, no state rows, no database file created).
public enum LivePlanner {
    public static func plan(_ pipeline: Pipeline, options: ApplyOptions) throws -> LivePlan {
        let location = try StateLocation.parse(options.state ?? options.environment["PIPEC_STATE"], projectRoot: pipeline.projectRoot)
        let state = try location.openIfPresent()
        let choice = try RunChoice.choose(pipeline, selection: options.selection, rerun: options.rerun, state: state, now: Instant.now())
        let planOptions = PlanOptions(params: options.params, environment: options.environment, secretEnvironment: options.environment,
                                      specText: options.specText)
        let plan = try Applier.compile(pipeline, runs: choice.runs, options: planOptions)
        let resources = Resources(pipeline: pipeline, environment: options.environment)
        let objects = try LiveSchema.inspect(ExpectedSchema.objects(of: plan, pipeline: pipeline), resources: resources, readOnly: true)
        let intervals = choice.runs.isEmpty ? [] : plan.runs.compactMap { run -> PendingInterval? in
            let units = RunChoice.pending(run, done: choice.done, only: options.only)
            return units.isEmpty ? nil : PendingInterval(runId: run.runId, ds: run.ds, units: units.map(\.id))
        }
        return LivePlan(pipeline: pipeline.name.value, specFile: pipeline.file, state: location.display, objects: objects,
                        intervals: intervals, allowBreaking: options.allowBreaking)
    }
}
