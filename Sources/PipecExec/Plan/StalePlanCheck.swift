import PipecModel
import PipecPlan
import PipecSchedule

/// A saved plan that no longer describes what its spec would do: every reason found, for the message.
public struct StalePlan: Error, Sendable, CustomStringConvertible {
    public var reasons: [String]

    public var description: String {
        "the plan is stale (compile it again):\n" + reasons.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Checks a saved plan against its spec as it is now: the spec hash (spec file and templates), then a compile
/// of the spec for the plan's runs and `--param`s compared part by part, so the message names the units that
/// changed. (Files pulled in with `{% include %}` are not in the spec hash; the unit hashes catch them.)
public enum StalePlanCheck {
    /// The run times of the plan's runs when the plan is current.
    public static func check(_ saved: Plan, pipeline: Pipeline, specText: String, environment: [String: String]) throws(StalePlan) -> [RunTimes] {
        guard saved.pipeline == pipeline.name.value else {
            throw StalePlan(reasons: ["the plan is for pipeline \(saved.pipeline); \(pipeline.file) now describes \(pipeline.name.value)"])
        }
        var reasons: [String] = []
        let specHash = PlanHashing.specHash(pipeline, specText: specText)
        let specChanged = specHash != saved.specHash
        if specChanged {
            reasons.append("the spec file or its templates changed since the plan was made (spec sha256 \(saved.specHash.prefix(12)) → \(specHash.prefix(12)))")
        }
        let runs: [RunTimes]
        do throws(StalePlan) {
            runs = try runTimes(saved, pipeline: pipeline)
        } catch {
            throw StalePlan(reasons: reasons + error.reasons)
        }
        let options = PlanOptions(params: Dictionary(saved.params.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b }),
                                  environment: saved.resolved ? environment : nil, secretEnvironment: environment, specText: specText)
        let fresh: Plan
        do throws(PlanCompileError) {
            fresh = try PlanCompiler.compile(pipeline, runs: runs, options: options)
        } catch {
            let problems = error.diagnostics.map { "\($0.location.map { "\($0): " } ?? "")\($0.message)" }
            throw StalePlan(reasons: reasons + ["the spec no longer compiles for the plan's runs: " + problems.joined(separator: "; ")])
        }
        let differences = compare(saved, fresh)
        reasons += differences
        if specChanged && differences.isEmpty {
            reasons.append("no unit's statements changed, but the plan must come from the spec as it is")
        }
        guard reasons.isEmpty else { throw StalePlan(reasons: reasons) }
        return runs
    }

    /// The schedule's run for each planned run, found again from its logical date and kind (`scheduled__` or
    /// `manual__`). A manual run may also be one `RunSelection` made with a manual schedule in the spec's zone
    /// (a spec without a schedule, or the fallback sample run).
    static func runTimes(_ plan: Plan, pipeline: Pipeline) throws(StalePlan) -> [RunTimes] {
        let schedule = pipeline.schedule?.schedule ?? Schedule(kind: .manual)
        let manual = Schedule(kind: .manual, zone: schedule.zone, semantics: schedule.semantics)
        var out: [RunTimes] = []
        var missing: [String] = []
        for run in plan.runs {
            let type: RunType = run.runId.hasPrefix(RunType.manual.runIdPrefix) ? .manual : .scheduled
            let candidates = type == .manual ? [schedule, manual] : [schedule]
            // A scheduled run must still be one the schedule enumerates (within its start and end), not only one
            // its cron could fire.
            let found: (Schedule) -> RunTimes? = { s in
                type == .scheduled ? s.runs(from: run.logicalDate, through: run.logicalDate).first : s.runTimes(logicalDate: run.logicalDate, runType: type)
            }
            let match = candidates.lazy.compactMap(found).first {
                $0.runId == run.runId && $0.semantics == run.semantics
                    && $0.dataIntervalStart == run.dataIntervalStart && $0.dataIntervalEnd == run.dataIntervalEnd
            }
            if let match { out.append(match) } else { missing.append(run.runId) }
        }
        guard missing.isEmpty else {
            throw StalePlan(reasons: ["the schedule no longer has the plan's runs: \(missing.joined(separator: ", "))"])
        }
        return out
    }

    /// What differs between the saved plan and a fresh compile, as readable reasons (empty when equal).
    static func compare(_ saved: Plan, _ fresh: Plan) -> [String] {
        var reasons: [String] = []
        if saved.resources != fresh.resources { reasons.append("the resources changed") }
        if saved.catalog != fresh.catalog { reasons.append("the catalog changed") }
        let savedEnsure = Dictionary(saved.ensure.map { ("\($0.kind.rawValue) \($0.object)", $0) }, uniquingKeysWith: { a, _ in a })
        let freshEnsure = Dictionary(fresh.ensure.map { ("\($0.kind.rawValue) \($0.object)", $0) }, uniquingKeysWith: { a, _ in a })
        var ensureChanges: [String] = []
        for action in fresh.ensure {
            let key = "\(action.kind.rawValue) \(action.object)"
            if let old = savedEnsure[key] {
                if old != action { ensureChanges.append("\(key) (changed)") }
            } else {
                ensureChanges.append("\(key) (new)")
            }
        }
        for action in saved.ensure where freshEnsure["\(action.kind.rawValue) \(action.object)"] == nil {
            ensureChanges.append("\(action.kind.rawValue) \(action.object) (gone)")
        }
        if ensureChanges.isEmpty && saved.ensure.map(\.object) != fresh.ensure.map(\.object) { ensureChanges.append("their order") }
        if !ensureChanges.isEmpty { reasons.append("setup (ensure) changed: " + ensureChanges.joined(separator: ", ")) }

        var changed: [String] = [], added: [String] = [], removed: [String] = []
        var setupChanged = false
        func note(_ id: String, in list: inout [String]) { if !list.contains(id) { list.append(id) } }
        for (old, new) in zip(saved.runs, fresh.runs) {
            if old.setup != new.setup || old.intervalStart != new.intervalStart || old.intervalEnd != new.intervalEnd { setupChanged = true }
            let before = Dictionary(old.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let after = Set(new.units.map(\.id))
            for unit in new.units {
                guard let previous = before[unit.id] else { note(unit.id, in: &added); continue }
                if previous.contentHash != unit.contentHash || previous.stage != unit.stage { note(unit.id, in: &changed) }
            }
            for unit in old.units where !after.contains(unit.id) { note(unit.id, in: &removed) }
        }
        if !changed.isEmpty { reasons.append("changed units: " + changed.joined(separator: ", ")) }
        if !added.isEmpty { reasons.append("new units: " + added.joined(separator: ", ")) }
        if !removed.isEmpty { reasons.append("units no longer in the spec: " + removed.joined(separator: ", ")) }
        if setupChanged { reasons.append("a run's interval or staging setup changed") }
        return reasons
    }
}
