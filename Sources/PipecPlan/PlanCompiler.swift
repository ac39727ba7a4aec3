import PipecDiagnostics
import PipecIO
import PipecModel
import PipecTemplate
import PipecSchedule

/// What a compile needs besides the pipeline and its runs.
public struct PlanOptions: Sendable {
    /// `--param` overrides, as typed on the command line.
    public var params: [String: String]
    /// The environment to resolve `${env:...}` and `env()` from (`--resolve`); nil leaves references as written.
    public var environment: [String: String]?
    /// The environment secrets are looked up in, so their values are masked even if a template prints one.
    public var secretEnvironment: [String: String]
    /// The spec file's text, hashed into `Plan.specHash`.
    public var specText: String
    /// `--resolve`: every resource setting the plan prints must resolve too (apply resolves a resource's settings
    /// only when it opens the resource, so an unused resource's unset variable does not stop it).
    public var resolveResources = false

    public init(params: [String: String] = [:], environment: [String: String]? = nil, secretEnvironment: [String: String] = [:], specText: String) {
        self.params = params
        self.environment = environment
        self.secretEnvironment = secretEnvironment
        self.specText = specText
    }
}

/// Why a pipeline could not be compiled: every problem found, as diagnostics.
public struct PlanCompileError: Error, Sendable {
    public var diagnostics: [Diagnostic]
}

/// Checked pipeline + runs → `Plan`. The one entry point of this module; the printers and the JSON form read
/// what it returns.
public enum PlanCompiler {
    /// `units`: compile only these units (by name) into the runs (`pipec run`, which runs one); nil compiles all.
    public static func compile(_ pipeline: Pipeline, runs: [RunTimes], options: PlanOptions, units only: Set<String>? = nil) throws(PlanCompileError) -> Plan {
        var diagnostics: [Diagnostic] = []
        let graph = GraphBuilder.build(pipeline, diagnostics: &diagnostics)
        guard !diagnostics.contains(where: { $0.severity == .error }), let firstRun = runs.first else {
            throw PlanCompileError(diagnostics: diagnostics.isEmpty ? [.error("E700", "no runs to plan", at: nil)] : diagnostics)
        }
        let params = options.params.mapValues(ParamValue.commandLine)
        if let environment = options.environment {
            diagnostics += EnvironmentText.unsetParams(pipeline, overrides: params, environment: environment)
            if options.resolveResources { diagnostics += unsetSettings(pipeline, environment: environment) }
            if diagnostics.contains(where: { $0.severity == .error }) { throw PlanCompileError(diagnostics: diagnostics) }
        }
        let redactor = Redactor(pipeline: pipeline, environment: options.secretEnvironment.merging(options.environment ?? [:]) { a, _ in a })
        let display = ConfigDisplay(environment: options.environment, redactor: redactor)
        let stages = graph.stages()

        var ensureBuilder = EnsureBuilder(pipeline: pipeline, graph: graph,
                                          env: RenderEnvironment(pipeline: pipeline, run: firstRun, params: params, environment: options.environment),
                                          redactor: redactor, display: display)
        let ensure = ensureBuilder.build()
        diagnostics += ensureBuilder.diagnostics

        var planRuns: [PlanRun] = []
        for (index, run) in runs.enumerated() {
            let env = RenderEnvironment(pipeline: pipeline, run: run, params: params, environment: options.environment)
            let interval = PlanInterval(start: env.interval.start, end: env.interval.end)
            let compiler = UnitCompiler(pipeline: pipeline, graph: graph, env: env, redactor: redactor, display: display,
                                        context: LoweringContext(interval: interval, runTag: String(SHA256.hex(run.runId).prefix(8))),
                                        runId: run.runId)
            var units: [PlanUnit] = []
            // Checks of tables nothing here produces have nothing to wait for: they join the first stage.
            let unchecked = pipeline.tables.filter { table in
                !table.checks.isEmpty && (graph.producers[table.name.value] ?? []).isEmpty && only.map { $0.contains(table.name.value) } != false
            }
            for table in unchecked {
                do throws(PlanFailure) {
                    units.append(try compiler.tableChecksUnit(table, stage: 1))
                } catch {
                    diagnostics.append(error.diagnostic)
                }
            }
            // Units compile independently: spread them over the cores, then keep the stage order.
            let ordered = stages.enumerated().flatMap { stageIndex, stage in stage.map { ($0, stageIndex + 1) } }
                .filter { unit, _ in only.map { $0.contains(unit.name) } != false }
            let compiled = ParallelMap.map(ordered) { unit, stage -> Result<PlanUnit, PlanFailure> in
                do throws(PlanFailure) {
                    return .success(try compiler.compile(unit, stage: stage))
                } catch {
                    return .failure(error)
                }
            }
            for result in compiled {
                switch result {
                case .success(let unit): units.append(unit)
                case .failure(let error): diagnostics.append(error.diagnostic)
                }
            }
            planRuns.append(PlanRun(index: index + 1, runId: run.runId, ds: AirflowFormat.ds(run.logicalDate), semantics: run.semantics,
                                    logicalDate: run.logicalDate, dataIntervalStart: run.dataIntervalStart, dataIntervalEnd: run.dataIntervalEnd,
                                    intervalStart: interval.start, intervalEnd: interval.end, setup: stagingSetup(pipeline), units: units))
        }
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { throw PlanCompileError(diagnostics: dedupe(errors)) }

        let plan = Plan(pipeline: pipeline.name.value, specFile: pipeline.file, specHash: PlanHashing.specHash(pipeline, specText: options.specText),
                        params: options.params.keys.sorted().map { PlanParam(key: $0, value: options.params[$0] ?? "") },
                        resolved: options.environment != nil, environmentReferences: [],
                        resources: pipeline.resources.map(display.resource),
                        catalog: pipeline.catalog.flatMap { c in pipeline.resource(c.resource.value)?.dialect.map { CatalogTables.planCatalog(c, dialect: $0) } },
                        ensure: ensure, runs: planRuns)
        return PlanHashing.sealedWithReferences(plan, resources: pipeline.resources, hidden: hiddenReferences(pipeline, plan: plan))
    }

    /// Variables behind text the plan does not show but apply renders: the http headers of its tasks (secrets).
    static func hiddenReferences(_ pipeline: Pipeline, plan: Plan) -> [String] {
        var names: [String] = []
        let units = Set(plan.runs.flatMap { $0.units.map(\.id) })
        for task in pipeline.tasks where units.contains(task.name.value) {
            let request: HTTPRequest?
            switch task.body {
            case .load(let l): if case .http(let h, _, _, _) = l.source { request = h } else { request = nil }
            case .sensor(let s): if case .http(let h) = s.condition { request = h } else { request = nil }
            default: request = nil
            }
            for header in request?.headers ?? [] { names += EnvironmentText.names(in: header.value.text) }
        }
        return names
    }

    /// E112 for every resource setting the plan shows resolved (secrets show as `***` and are not resolved) whose
    /// references cannot be filled.
    static func unsetSettings(_ pipeline: Pipeline, environment: [String: String]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for r in pipeline.resources {
            let shown = r.settings.keys.sorted().map { ($0, r.settings[$0]!) } + r.recipients.map { ("to", $0) }
            for (key, value) in shown where !value.isSecret {
                if case .failure(let missing) = value.resolve(environment) {
                    out.append(.error("E112", "environment variable \(missing.name) is not set, and '\(key)' of resource '\(r.name.value)' has no default for it",
                                      at: missing.location, help: "export \(missing.name)=... or give a default: ${env:\(missing.name):-value}"))
                }
            }
        }
        return out
    }

    /// One unit of one run compiled again with the real outputs of the tasks that ran before it: how the executor
    /// resolves the `<tasks.NAME.OUTPUT>` markers of units listed with `runtimeOutputs`.
    public static func recompile(unit id: String, stage: Int, _ pipeline: Pipeline, run: RunTimes, options: PlanOptions,
                                 taskOutputs: [(String, TemplateValue)]) throws(PlanCompileError) -> PlanUnit {
        var diagnostics: [Diagnostic] = []
        let graph = GraphBuilder.build(pipeline, diagnostics: &diagnostics)
        let params = options.params.mapValues(ParamValue.commandLine)
        let redactor = Redactor(pipeline: pipeline, environment: options.secretEnvironment.merging(options.environment ?? [:]) { a, _ in a })
        let display = ConfigDisplay(environment: options.environment, redactor: redactor)
        let env = RenderEnvironment(pipeline: pipeline, run: run, params: params, environment: options.environment).with(taskOutputs: taskOutputs)
        let interval = PlanInterval(start: env.interval.start, end: env.interval.end)
        let compiler = UnitCompiler(pipeline: pipeline, graph: graph, env: env, redactor: redactor, display: display,
                                    context: LoweringContext(interval: interval, runTag: String(SHA256.hex(run.runId).prefix(8))), runId: run.runId)
        let unit: UnitID = pipeline.hasTable(id) ? .table(id) : .task(id)
        do throws(PlanFailure) {
            return PlanHashing.sealedUnit(try compiler.compile(unit, stage: stage))
        } catch {
            throw PlanCompileError(diagnostics: [error.diagnostic])
        }
    }

    /// Staging tables are recreated empty at the start of each run (dropped and created, so a changed column list
    /// takes effect too).
    static func stagingSetup(_ pipeline: Pipeline) -> [PlanStep] {
        pipeline.tables.filter { $0.staging && !$0.external && $0.kind == .table }.compactMap { table -> PlanStep? in
            guard let resource = pipeline.resource(table.resource.value), let dialect = resource.dialect, dialect != .athena else { return nil }
            return .sql(SQLStep(resource: resource.name.value, dialect: dialect, purpose: "recreate staging table \(table.name.value) empty",
                                transactional: false,
                                statements: [DDL.dropTable(table.name.value, dialect)] + DDL.createTable(TableDefinition(table), dialect, ifNotExists: false)))
        }
    }

    /// The same template error is found once per run: report it once.
    private static func dedupe(_ all: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return all.filter { seen.insert($0).inserted }
    }
}
