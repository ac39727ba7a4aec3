import Foundation
import PipecDiagnostics
import PipecModel
import PipecPlan
import PipecSchedule

/// What `pipec apply` was asked to do.
public struct ApplyOptions: Sendable {
    /// `--ds` / `--from --to`; nil runs the intervals that are due and not done (catch-up per the schedule).
    public var selection: RunSelection?
    /// Run intervals again even if the state store has them done.
    public var rerun = false
    /// Only these tables/tasks (their upstream is assumed done).
    public var only: [String] = []
    public var parallel = ProcessInfo.processInfo.activeProcessorCount
    public var params: [String: String] = [:]
    public var state: String?
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    public var command = "pipec apply"
    public var specText = ""
    /// Run even though live tables differ from the spec in ways apply does not fix (a retyped column, a column
    /// the spec no longer has); those columns are left as they are.
    public var allowBreaking = false

    public init() {}
}

/// How an apply ended.
public struct ApplyOutcome: Sendable {
    public var status: RunStatus
    public var runs: Int
    public var counts: [ItemState: Int]
    /// A failure was a database or service that could not be reached (CLI exit code 3).
    public var unreachable: Bool
    public var message: String
}

/// Carries a pipeline out for a set of intervals: picks the runs (due, or asked for), skips what the state store
/// has done, compiles the plan, brings the live tables in line (refusing breaking drift), creates tables, runs
/// the units through the DAG runner, and records everything.
public enum Applier {
    public static func apply(_ pipeline: Pipeline, options: ApplyOptions, log: ApplyLog, interruption: CancellationFlag) throws -> ApplyOutcome {
        let (state, lock) = try openState(pipeline, options: options, log: log)
        defer { withExtendedLifetime(lock) {} }

        // Which runs: asked for, or due per the schedule.
        let choice = try RunChoice.choose(pipeline, selection: options.selection, rerun: options.rerun, state: state, now: Instant.now())
        let planOptions = PlanOptions(params: options.params, environment: options.environment, secretEnvironment: options.environment,
                                      specText: options.specText)
        let plan = try compile(pipeline, runs: choice.runs, options: planOptions)
        return try carryOut(plan, pipeline: pipeline, runs: choice.runs, done: choice.done, state: state, planOptions: planOptions,
                            options: options, savedPlan: false, log: log, interruption: interruption)
    }

    /// Carries out a saved plan (`pipec apply PLAN.json`) as written: its runs, units and statements. The caller
    /// has checked that it is not stale (`StalePlanCheck`); `runs` are the times of its runs, in order.
    public static func apply(plan: Plan, runs: [RunTimes], pipeline: Pipeline, options: ApplyOptions, log: ApplyLog,
                             interruption: CancellationFlag) throws -> ApplyOutcome {
        let (state, lock) = try openState(pipeline, options: options, log: log)
        defer { withExtendedLifetime(lock) {} }
        let done = try RunChoice.doneUnits(pipeline.name.value, runs: runs, rerun: options.rerun, state: state)
        let planOptions = PlanOptions(params: Dictionary(plan.params.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b }),
                                      environment: options.environment, secretEnvironment: options.environment, specText: options.specText)
        return try carryOut(plan, pipeline: pipeline, runs: runs, done: done, state: state, planOptions: planOptions,
                            options: options, savedPlan: true, log: log, interruption: interruption)
    }

    /// The pipeline's lock (one apply at a time) and the state store.
    private static func openState(_ pipeline: Pipeline, options: ApplyOptions, log: ApplyLog) throws -> (StateStore, PipelineLock) {
        let location = try StateLocation.parse(options.state ?? options.environment["PIPEC_STATE"], projectRoot: pipeline.projectRoot)
        let lockDirectory: String
        switch location {
        case .sqlite(let path): lockDirectory = (path as NSString).deletingLastPathComponent + "/locks"
        case .postgres: lockDirectory = (pipeline.projectRoot as NSString).appendingPathComponent(".pipec/locks")
        }
        let lock = try PipelineLock(directory: lockDirectory, pipeline: pipeline.name.value) { log.line($0) }
        let state = try location.open()
        try state.lockPipeline(pipeline.name.value) { log.line($0) }
        // Holding the locks, no other apply of this pipeline runs here: one still recorded as running was killed.
        for id in try state.closeAbandonedApplies(pipeline: pipeline.name.value, host: ProcessInfo.processInfo.hostName) {
            log.line("apply \(id) ended without finishing (killed or crashed); recorded it as interrupted")
        }
        return (state, lock)
    }

    /// Runs a compiled plan whose `runs[i]` are the times of `plan.runs[i]`, skipping the units `done` lists.
    private static func carryOut(_ plan: Plan, pipeline: Pipeline, runs: [RunTimes], done: [String: [String: String]], state: StateStore,
                                 planOptions: PlanOptions, options: ApplyOptions, savedPlan: Bool, log: ApplyLog,
                                 interruption: CancellationFlag) throws -> ApplyOutcome {
        let resources = Resources(pipeline: pipeline, environment: options.environment)
        // The live tables first: breaking drift stops the apply before anything is recorded or written.
        let schema = try SchemaGate.check(plan, pipeline: pipeline, resources: resources, allowBreaking: options.allowBreaking,
                                          savedPlan: savedPlan, log: log)

        // Skip runs whose every unit is done; within a run, units already done are not run again.
        var items: [WorkItem] = []
        var scheduled: [String: ScheduledUnit] = [:]
        var activeRuns: [Int] = []
        let maxActive = pipeline.schedule?.maxActiveRuns ?? 1
        for (r, run) in plan.runs.enumerated() {
            let units = RunChoice.pending(run, done: done, only: options.only)
            if units.isEmpty {
                log.line("run \(run.runId) (ds \(run.ds)): already done; --rerun runs it again")
                continue
            }
            activeRuns.append(r)
            let ids = Set(units.map(\.id))
            let setupID = "setup@\(r)"
            if !run.setup.isEmpty {
                let setupUnit = PlanUnit(id: "setup", kind: .sql, strategy: nil, stage: 0, resource: nil, dialect: nil, group: nil,
                                         description: "recreate staging tables", policy: units[0].policy, when: nil, upstream: [],
                                         runtimeOutputs: [], steps: run.setup)
                items.append(WorkItem(id: setupID, upstream: [], run: r))
                scheduled[setupID] = ScheduledUnit(run: r, unit: setupUnit)
            }
            for unit in units {
                let id = "\(unit.id)@\(r)"
                var upstream = unit.upstream.filter { ids.contains($0) }.map { "\($0)@\(r)" }
                if !run.setup.isEmpty { upstream.append(setupID) }
                let p = unit.policy
                let past = p.dependsOnPast ? try PastDependency(unit: unit.id, run: r, plan: plan, runs: runs, pipeline: pipeline.name.value, state: state) : nil
                items.append(WorkItem(id: id, upstream: upstream, run: r, pool: p.pool, retries: p.retries, retryDelayMilliseconds: p.retryDelayMilliseconds,
                                      retryBackoff: p.retryBackoff, maxRetryDelayMilliseconds: p.maxRetryDelayMilliseconds,
                                      timeoutMilliseconds: p.timeoutMilliseconds, triggerRule: p.triggerRule, dependsOnPast: p.dependsOnPast,
                                      previousRunItem: past?.item, previousRunLabel: past?.label, pastBlocked: past?.blocked))
                scheduled[id] = ScheduledUnit(run: r, unit: unit)
            }
        }
        guard !activeRuns.isEmpty else {
            // No interval to run, but the tables still follow the spec.
            if schema.hasChanges {
                try schema.alter(resources: resources, log: log, cancel: interruption)
                try Ensure.run(plan.ensure, resources: resources, log: log, cancel: interruption)
            }
            let reason = plan.runs.isEmpty ? "no intervals are due" : "every interval is done"
            return ApplyOutcome(status: .success, runs: 0, counts: [:], unreachable: false,
                                message: schema.hasChanges ? "tables brought in line with the spec; no interval to run: \(reason)" : "nothing to do: \(reason)")
        }

        let applyID = ApplyIDs.make()
        let context = ApplyContext(plan: plan, pipeline: pipeline, runs: runs, resources: resources, state: state, applyID: applyID,
                                   options: planOptions, log: log)
        try state.beginApply(ApplyRecord(id: applyID, pipeline: pipeline.name.value, specHash: plan.specHash, command: options.command,
                                         host: ProcessInfo.processInfo.hostName, pid: ProcessInfo.processInfo.processIdentifier))
        log.line("apply \(applyID): \(pipeline.name.value), \(activeRuns.count) run(s), \(items.count) unit(s), up to \(options.parallel) at once")

        // Tables first (idempotent DDL), then the units.
        do {
            try schema.alter(resources: resources, log: log, cancel: interruption)
            try Ensure.run(plan.ensure, resources: resources, log: log, cancel: interruption)
        } catch let e as EngineError {
            try? state.finishApply(applyID, status: .failed, message: e.description)
            throw e
        }
        for r in activeRuns {
            let run = plan.runs[r]
            try state.beginRun(applyID: applyID, pipeline: pipeline.name.value, runID: run.runId, logicalDate: run.logicalDate.description, ds: run.ds,
                               intervalStart: run.intervalStart.description, intervalEnd: run.intervalEnd.description)
        }

        let recorder = ApplyRecorder(context: context, scheduled: scheduled)
        let runner = DAGRunner(items: items, performer: PlanPerformer(context: context, units: scheduled), parallel: options.parallel,
                               pools: Dictionary(pipeline.pools.map { ($0.name.value, $0.slots) }, uniquingKeysWith: { a, _ in a }),
                               maxActiveRuns: maxActive) { recorder.observe($0) }
        let token = interruption.onCancel { runner.cancel.cancel(reason: interruption.reason ?? "interrupted") }
        log.expect(units: items.filter { !$0.id.hasPrefix("setup@") }.count, runs: activeRuns.count)
        let states = runner.run()
        log.finish()
        interruption.remove(token)

        var counts: [ItemState: Int] = [:]
        for (id, s) in states where !id.hasPrefix("setup@") { counts[s, default: 0] += 1 }
        let interrupted = interruption.isCancelled
        for r in activeRuns {
            let runStates = states.filter { scheduled[$0.key]?.run == r }.map(\.value)
            let status: RunStatus = interrupted ? .interrupted : runStates.allSatisfy { $0 == .success || $0 == .skipped } ? .success : .failed
            try state.finishRun(applyID: applyID, runID: plan.runs[r].runId, status: status)
            if status == .success { recorder.alert(.success, run: r, unit: nil, message: "run \(plan.runs[r].runId) succeeded") }
        }
        let failed = (counts[.failed] ?? 0) + (counts[.upstreamFailed] ?? 0)
        let status: RunStatus = interrupted ? .interrupted : failed > 0 ? .failed : .success
        let summary = "\(activeRuns.count) run(s): \(counts[.success] ?? 0) succeeded, \(counts[.skipped] ?? 0) skipped, "
            + "\(counts[.failed] ?? 0) failed, \(counts[.upstreamFailed] ?? 0) not run (upstream failed)"
            + ((counts[.cancelled] ?? 0) > 0 ? ", \(counts[.cancelled]!) cancelled" : "")
        try state.finishApply(applyID, status: status, message: summary)
        return ApplyOutcome(status: status, runs: activeRuns.count, counts: counts, unreachable: context.sawUnreachable, message: summary)
    }
}

enum ApplyIDs {
    /// Sortable and unique enough for one machine: the UTC time plus the process id.
    static func make() -> String {
        let now = Instant.now()
        let civil = CivilDateTime(now, offsetSeconds: 0)
        let stamp = civil.isoString(offsetSeconds: 0, zulu: true).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        return "\(stamp.prefix(15))-\(ProcessInfo.processInfo.processIdentifier)-\(now.microseconds % 1000)"
    }
}
