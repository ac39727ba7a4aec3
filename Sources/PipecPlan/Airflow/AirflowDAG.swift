import PipecDiagnostics
import PipecModel
import PipecSchedule

/// Where the generated DAG finds pipec and the spec on Airflow's workers (set at emit time; the workers'
/// `PIPEC_BIN` and `PIPEC_SPEC` override them when the task runs).
public struct AirflowEmitOptions: Sendable {
    public var pipecPath: String
    public var specPath: String

    public init(pipecPath: String, specPath: String) {
        self.pipecPath = pipecPath
        self.specPath = specPath
    }
}

/// One Airflow task of the generated DAG.
public struct AirflowTask: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        /// Runs one pipec unit (`pipec run SPEC UNIT ...`).
        case unit
        /// Recreates the run's staging tables before any unit (`pipec run SPEC --setup ...`).
        case setup
        /// Does nothing; succeeds once the ordering upstreams of `unit` have ended, however they ended, so that
        /// unit can wait for its data upstreams' success and its ordering upstreams' end at once.
        case orderingGate(unit: String)
    }

    public var id: String
    public var role: Role
    public var group: String?
    public var description: String?
    /// Airflow task ids this one runs after, in the order the graph found them.
    public var upstream: [String]
    /// nil = Airflow's default, all_success.
    public var triggerRule: TriggerRule?
    public var policy: RunPolicy?
}

/// The DAG `pipec emit airflow` writes, as values: built from the checked model and its graph, printed by
/// `AirflowDAGPrinter`.
public struct AirflowDAG: Sendable {
    public var dagID: String
    public var tasks: [AirflowTask]
    /// Pools the tasks use that the spec declares, with their slots (for `airflow pools import`).
    public var pools: [Pool]

    /// Task id of the setup task every run starts with.
    public static let setupTaskID = "pipec__setup"

    /// The DAG of `pipeline`: one task per unit (table build, view, task, checks of an external table), each in its
    /// group's TaskGroup, with the graph's edges. Data edges keep Airflow's all_success (a skipped or failed
    /// upstream skips or stops the unit); ordering edges wait for the upstream to end and pass down failures, not
    /// skips (none_failed), exactly as pipec's own runner treats them.
    /// A unit with both kinds waits for its ordering upstreams through a gate task; a unit whose spec names its own
    /// trigger rule keeps that rule over all its upstreams.
    public static func build(_ pipeline: Pipeline, graph: PipelineGraph) -> AirflowDAG {
        var unitIDs = graph.units.map(\.name)
        var groupOf: [String: String] = [:]
        var descriptions: [String: String] = [:]
        var policies: [String: RunPolicy] = [:]
        for table in pipeline.tables {
            if let g = table.group { groupOf[table.name.value] = g.value }
            if let d = table.description { descriptions[table.name.value] = d }
            policies[table.name.value] = pipeline.defaults
        }
        for task in pipeline.tasks {
            if let g = task.group { groupOf[task.name.value] = g.value }
            if let d = task.description { descriptions[task.name.value] = d }
            policies[task.name.value] = task.policy
        }
        // Checks of tables nothing here produces run as units of their own, as in the plan.
        let known = Set(unitIDs)
        for table in pipeline.tables where !table.checks.isEmpty && (graph.producers[table.name.value] ?? []).isEmpty && !known.contains(table.name.value) {
            unitIDs.append(table.name.value)
        }
        var taken = Set(unitIDs)
        // Every run starts with the setup task: it brings the tables in line with the spec (as apply does before its
        // units) and recreates staging tables, so each unit only checks its own tables.
        var tasks = [AirflowTask(id: setupTaskID, role: .setup, group: nil,
                                 description: "Creates or alters the tables as the spec says, and recreates staging tables empty, before the run's units",
                                 upstream: [], triggerRule: nil, policy: pipeline.defaults)]
        for name in unitIDs {
            let id: UnitID = pipeline.hasTask(name) ? .task(name) : .table(name)
            let deps = graph.upstream[id] ?? []
            let policy = policies[name] ?? pipeline.defaults
            var task = AirflowTask(id: name, role: .unit, group: groupOf[name], description: descriptions[name], upstream: [], triggerRule: nil,
                                   policy: policy)
            if deps.isEmpty {
                task.upstream = [setupTaskID]
            } else if policy.triggerRule != .allSuccess {
                task.upstream = deps.map(\.upstream.name)
            } else {
                let data = deps.filter { $0.kind == .data }.map(\.upstream.name)
                let ordering = deps.filter { $0.kind == .ordering }.map(\.upstream.name)
                if data.isEmpty {
                    task.upstream = ordering
                    task.triggerRule = .noneFailed
                } else if ordering.isEmpty {
                    task.upstream = data
                } else {
                    var gate = "\(name)__ordered"
                    while taken.contains(gate) { gate += "_" }
                    taken.insert(gate)
                    tasks.append(AirflowTask(id: gate, role: .orderingGate(unit: name), group: groupOf[name],
                                             description: "Waits for the units \(name) runs after (after:, group order) to end without failing",
                                             upstream: ordering, triggerRule: .noneFailed, policy: nil))
                    task.upstream = data + [gate]
                }
            }
            if policy.triggerRule != .allSuccess { task.triggerRule = policy.triggerRule }
            tasks.append(task)
        }
        let used = Set(tasks.compactMap { $0.policy?.pool?.value })
        return AirflowDAG(dagID: pipeline.name.value, tasks: tasks, pools: pipeline.pools.filter { used.contains($0.name.value) })
    }
}
