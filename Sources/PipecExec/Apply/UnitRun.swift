import Foundation
import PipecDiagnostics
import PipecModel
import PipecPlan
import PipecSchedule

/// One unit of one run, as another scheduler asks for it (`pipec run`: a task of the DAG `pipec emit airflow`
/// wrote, on an Airflow worker). The run's times, its id and the try number are the scheduler's.
public struct UnitRunRequest: Sendable {
    /// The table or task to run; nil runs the run's setup (staging tables recreated empty).
    public var unit: String?
    public var run: RunTimes
    /// 1-based; the scheduler retries, so this process makes exactly one attempt.
    public var tryNumber: Int

    public init(unit: String?, run: RunTimes, tryNumber: Int) {
        self.unit = unit
        self.run = run
        self.tryNumber = tryNumber
    }
}

extension Applier {
    /// Runs exactly one unit for exactly one run, once: no retries (the scheduler's), no per-pipeline lock (tasks of
    /// one pipeline run at once on many workers), but a claim on the unit and interval so two processes never run the
    /// same one together; a second process asked for a try that another finished does nothing. Upstream units are
    /// the scheduler's to order; their task outputs come from the state store. Records the try, the completed
    /// interval, check results and the task's outputs as `pipec apply` does, under the apply id
    /// `airflow:<pipeline>:<run id>`.
    public static func runUnit(_ pipeline: Pipeline, request: UnitRunRequest, options: ApplyOptions, log: ApplyLog,
                               interruption: CancellationFlag) throws -> ApplyOutcome {
        let name = pipeline.name.value
        let run = request.run
        let logicalDate = run.logicalDate.description
        let location = try StateLocation.parse(options.state ?? options.environment["PIPEC_STATE"], projectRoot: pipeline.projectRoot)
        let state = try location.open()
        let unitName = request.unit ?? "setup"
        let claim = try UnitClaim(state: state, location: location, pipeline: name, unit: unitName, logicalDate: logicalDate) { log.line($0) }
        defer { withExtendedLifetime(claim) {} }

        // Per pipeline: DAGs of different pipelines share run ids (scheduled__2025-01-01T00:00:00+00:00).
        let applyID = "airflow:\(name):\(run.runId)"
        if let done = try state.finishedTry(pipeline: name, applyID: applyID, runID: run.runId, unit: unitName, tryNumber: request.tryNumber) {
            log.line("\(unitName): try \(request.tryNumber) of \(run.runId) already ended \(done) in another process; nothing to do")
            return ApplyOutcome(status: .success, runs: 0, counts: done == "skipped" ? [.skipped: 1] : [.success: 1], unreachable: false,
                                message: "already \(done)")
        }
        try state.closeAbandonedTries(pipeline: name, applyID: applyID, runID: run.runId, unit: unitName)

        let planOptions = PlanOptions(params: options.params, environment: options.environment, secretEnvironment: options.environment,
                                      specText: options.specText)
        // Only the unit asked for is compiled (the setup compiles none): a task of a 1,000-table pipeline renders one.
        let plan = try compile(pipeline, runs: [run], options: planOptions, units: [request.unit ?? ""])
        let planRun = plan.runs[0]
        let unit: PlanUnit
        if let wanted = request.unit {
            guard let found = planRun.units.first(where: { $0.id == wanted }) else {
                throw EngineError("\(wanted) is not a unit of \(name) (a table with a build, a view, a task, or a table with checks)")
            }
            unit = found
        } else {
            unit = PlanUnit(id: "setup", kind: .sql, strategy: nil, stage: 0, resource: nil, dialect: nil, group: nil,
                            description: "recreate staging tables", policy: planRun.units.first?.policy ?? Self.noPolicy, when: nil, upstream: [],
                            runtimeOutputs: [], steps: planRun.setup)
        }

        let resources = Resources(pipeline: pipeline, environment: options.environment)
        // The setup task brings every table in line with the spec; a unit only the tables it reads and writes, so a
        // task of a 1,000-table pipeline does not check 1,000 tables.
        var ensurePlan = plan
        if let wanted = request.unit {
            var diagnostics: [Diagnostic] = []
            let graph = GraphBuilder.build(pipeline, diagnostics: &diagnostics)
            let id: UnitID = pipeline.hasTask(wanted) ? .task(wanted) : .table(wanted)
            let own = Set([wanted] + (graph.reads[id] ?? []) + (graph.writes[id] ?? []))
            ensurePlan.ensure = plan.ensure.filter { action in
                switch action.kind {
                case .schema, .catalogTable: return true
                case .catalogRecords: return false
                case .quarantineTable: return own.contains(action.object) || own.contains(String(action.object.dropLast("__quarantine".count)))
                case .table, .view, .materializedView: return own.contains(action.object)
                }
            }
        }
        // Table creation is idempotent but not safe against itself across PostgreSQL sessions: one task at a time.
        try ensureTables(ensurePlan, pipeline: pipeline, state: state, resources: resources, options: options, log: log, interruption: interruption)

        let context = ApplyContext(plan: plan, pipeline: pipeline, runs: [run], resources: resources, state: state, applyID: applyID,
                                   options: planOptions, log: log)
        for (task, outputs) in try state.savedOutputs(pipeline: name, logicalDate: logicalDate) { context.setOutputs(run: 0, task: task, outputs) }
        try state.beginAirflowRun(applyID: applyID, pipeline: name, specHash: plan.specHash, command: options.command, runID: run.runId,
                                  logicalDate: logicalDate, ds: planRun.ds, intervalStart: planRun.intervalStart.description,
                                  intervalEnd: planRun.intervalEnd.description)

        let p = unit.policy
        let item = WorkItem(id: "\(unit.id)@0", upstream: [], run: 0, pool: "default", retries: 0, timeoutMilliseconds: p.timeoutMilliseconds)
        let scheduled = [item.id: ScheduledUnit(run: 0, unit: unit)]
        // The try is the scheduler's; the unit's retries say whether a failure now is its last.
        let recorder = ApplyRecorder(context: context, scheduled: scheduled, tryOffset: request.tryNumber - 1, lastTry: request.tryNumber > p.retries)
        let runner = DAGRunner(items: [item], performer: PlanPerformer(context: context, units: scheduled), parallel: 1, pools: [:]) {
            recorder.observe($0)
        }
        let token = interruption.onCancel { runner.cancel.cancel(reason: interruption.reason ?? "interrupted") }
        log.expect(units: request.unit == nil ? 0 : 1, runs: 1)
        let final = runner.run()[item.id] ?? .cancelled
        log.finish()
        interruption.remove(token)

        if final == .success, request.unit != nil, pipeline.hasTask(unit.id),
           let values = context.outputs(run: 0, task: unit.id) {
            try state.saveOutputs(pipeline: name, unit: unit.id, logicalDate: logicalDate, values)
        }
        let status: RunStatus = interruption.isCancelled ? .interrupted : (final == .success || final == .skipped) ? .success : .failed
        try state.finishAirflowUnit(applyID: applyID, runID: run.runId, status: status)
        let message = "\(unitName) \(final == .success ? "succeeded" : final.rawValue) (try \(request.tryNumber) of \(run.runId))"
            + (runner.reason(for: item.id).map { ": \($0)" } ?? "")
        return ApplyOutcome(status: status, runs: 1, counts: [final: 1], unreachable: context.sawUnreachable, message: message)
    }

    private static let noPolicy = PlanPolicy(retries: 0, retryDelayMilliseconds: 0, retryBackoff: .constant, maxRetryDelayMilliseconds: nil,
                                             timeoutMilliseconds: nil, pool: "default", dependsOnPast: false, triggerRule: .allSuccess, maxActiveRuns: nil)

    private static func ensureTables(_ plan: Plan, pipeline: Pipeline, state: StateStore, resources: Resources, options: ApplyOptions,
                                     log: ApplyLog, interruption: CancellationFlag) throws {
        let body = {
            let schema = try SchemaGate.check(plan, pipeline: pipeline, resources: resources, allowBreaking: options.allowBreaking,
                                              savedPlan: false, log: log)
            try schema.alter(resources: resources, log: log, cancel: interruption)
            try Ensure.run(plan.ensure, resources: resources, log: log, cancel: interruption)
        }
        if let shared = state.db as? PostgresStateConnection {
            try shared.withLock("pipec ensure \(pipeline.name.value)", body)
        } else {
            try body()
        }
    }
}

extension UnitRunRequest {
    /// The run the scheduler means: its logical date, data interval and run id, with the rest (Airflow 2's
    /// `prev_ds`/`next_ds`, the zone) from the spec's schedule, as for a run `pipec apply` makes.
    public static func run(of pipeline: Pipeline, logicalDate: Instant, dataIntervalStart: Instant?, dataIntervalEnd: Instant?,
                           runId: String) -> RunTimes {
        let schedule = pipeline.schedule?.schedule ?? Schedule(kind: .manual)
        var times = schedule.runTimes(logicalDate: logicalDate, runType: runId.hasPrefix(RunType.manual.runIdPrefix) ? .manual : .scheduled)
        if let start = dataIntervalStart { times.dataIntervalStart = start }
        if let end = dataIntervalEnd { times.dataIntervalEnd = end }
        times.runId = runId
        return times
    }
}
