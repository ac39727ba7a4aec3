import Foundation
import PipecModel
import PipecPlan
import PipecSchedule
import PipecTemplate

/// Everything the units of one apply share: the plan and the pipeline it came from, the runs' times, the open
/// resources, the state store, and the outputs tasks produced so far (Airflow's XCom, typed).
public final class ApplyContext: @unchecked Sendable {
    public let plan: Plan
    public let pipeline: Pipeline
    /// `runs[i]` are the times of `plan.runs[i]`.
    public let runs: [RunTimes]
    public let resources: Resources
    public let state: StateStore
    public let applyID: String
    public let options: PlanOptions
    public let log: ApplyLog
    private let lock = NSLock()
    /// A unit failed because a server could not be reached (the CLI then exits 3).
    private var unreachable = false
    /// Per run: each task's outputs by name, and the order they were produced in.
    private var outputs: [Int: (order: [String], values: [String: TemplateValue])] = [:]
    /// The same outputs as pairs, for the state store (`pipec run` hands them to units run by other processes).
    private var outputPairs: [Int: [String: [(String, TemplateValue)]]] = [:]

    public init(plan: Plan, pipeline: Pipeline, runs: [RunTimes], resources: Resources, state: StateStore, applyID: String,
                options: PlanOptions, log: ApplyLog) {
        self.plan = plan
        self.pipeline = pipeline
        self.runs = runs
        self.resources = resources
        self.state = state
        self.applyID = applyID
        self.options = options
        self.log = log
    }

    func noteUnreachable() { lock.withLock { unreachable = true } }
    var sawUnreachable: Bool { lock.withLock { unreachable } }

    /// Records a task's outputs for the units after it (`{{ tasks.NAME.rows }}`).
    func setOutputs(run: Int, task: String, _ values: [(String, TemplateValue)]) {
        lock.withLock {
            // Mutated in place: copying the run's dictionary per task would make 10,000 tasks quadratic.
            if outputs[run, default: ([], [:])].values[task] == nil { outputs[run, default: ([], [:])].order.append(task) }
            outputs[run, default: ([], [:])].values[task] = .object("task \(task)", values)
            outputPairs[run, default: [:]][task] = values
        }
    }

    /// The outputs `task` produced in `run`, as name and value pairs.
    func outputs(run: Int, task: String) -> [(String, TemplateValue)]? {
        lock.withLock { outputPairs[run]?[task] }
    }

    func outputs(run: Int) -> [(String, TemplateValue)] {
        lock.withLock {
            guard let current = outputs[run] else { return [] }
            return current.order.map { ($0, current.values[$0]!) }
        }
    }

    /// The template context of a unit with the real outputs of the tasks that ran before it.
    func context(run: Int, unit: String) -> TemplateContext {
        let params = options.params.mapValues(ParamValue.commandLine)
        let env = RenderEnvironment(pipeline: pipeline, run: runs[run], params: params, environment: options.environment)
            .with(taskOutputs: outputs(run: run))
        return env.context(for: pipeline.hasTable(unit) ? .table(unit) : .task(unit))
    }
}
