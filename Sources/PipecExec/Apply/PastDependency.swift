import PipecPlan
import PipecSchedule

/// What depends_on_past makes a unit wait for: its copy in the previous run of this apply, or, in the apply's
/// first run, how the state store says the previous interval ended (an interval that failed in an earlier apply
/// blocks the next one in a later apply too, as in Airflow).
struct PastDependency {
    /// The runner id of the unit in the previous run of this apply.
    var item: String?
    var label: String?
    /// Why the previous interval, outside this apply, blocks the unit.
    var blocked: String?

    /// `runs[r]` are the times of `plan.runs[r]`, consecutive intervals.
    init(unit: String, run r: Int, plan: Plan, runs: [RunTimes], pipeline: String, state: StateStore) throws {
        if r > 0 {
            item = "\(unit)@\(r - 1)"
            label = "\(unit) of the previous interval (ds \(plan.runs[r - 1].ds))"
            return
        }
        // airflow3 runs have no previous logical date; their first run is not checked against the state store.
        guard let previous = runs.first?.previousLogicalDate else { return }
        let label = "\(unit) of the previous interval (ds \(previous.description.prefix(10)))"
        self.label = label
        switch try state.unfinishedState(pipeline: pipeline, unit: unit, logicalDate: previous.description) {
        case nil: blocked = nil
        case "not run": blocked = "\(label) did not run"
        case let status?: blocked = "\(label) ended \(status)"
        }
    }
}
