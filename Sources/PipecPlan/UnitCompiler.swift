import PipecDiagnostics
import PipecModel

/// Compiles the units of one run: each table build, view or task into its policy and steps.
struct UnitCompiler {
    let pipeline: Pipeline
    let graph: PipelineGraph
    let env: RenderEnvironment
    let redactor: Redactor
    let display: ConfigDisplay
    let context: LoweringContext
    let runId: String

    func compile(_ unit: UnitID, stage: Int) throws(PlanFailure) -> PlanUnit {
        switch unit {
        case .table(let name):
            guard let table = pipeline.table(name) else { throw PlanFailure(.error("E202", "unknown table '\(name)'", at: nil)) }
            return try tableUnit(table, stage: stage)
        case .task(let name):
            guard let task = pipeline.task(name) else { throw PlanFailure(.error("E205", "unknown task '\(name)'", at: nil)) }
            return try taskUnit(task, stage: stage)
        }
    }

    /// A table build, or a view (views have nothing to do per run except a PostgreSQL materialized view's
    /// REFRESH; they stay units so their checks run and downstream units can wait for them).
    private func tableUnit(_ table: Table, stage: Int) throws(PlanFailure) -> PlanUnit {
        let id = UnitID.table(table.name.value)
        let (resourceName, dialect) = try database(table)
        var templates = UnitTemplates(unit: id, env: env, redactor: redactor)
        var steps: [PlanStep] = []
        let kind: PlanUnitKind
        switch table.kind {
        case .table:
            kind = .build
            if let build = table.build {
                let query = try templates.renderStatement(build.sql, dialect, .build)
                let target = LoweringTarget(table: table, resource: resourceName, dialect: dialect, strategy: build.strategy.value,
                                            intervalColumn: build.intervalColumn?.value)
                steps = try lower(target, .query(query), at: build.strategy.location)
            }
        case .view:
            kind = .view
        case .materializedView:
            kind = .materializedView
            if dialect == .postgres {
                steps = [.sql(SQLStep(resource: resourceName, dialect: dialect, purpose: "refresh with its upstream's new rows", transactional: false,
                                      statements: ["REFRESH MATERIALIZED VIEW \(SQLText.table(table.name.value, dialect))"]))]
            }
        }
        steps += try checks(of: table, intervalColumn: table.build?.intervalColumn?.value, templates: &templates)
        return PlanUnit(id: table.name.value, kind: kind, strategy: table.build?.strategy.value, stage: stage, resource: resourceName, dialect: dialect,
                        group: table.group?.value, description: table.description, policy: policy(pipeline.defaults), when: nil,
                        upstream: upstream(id), orderingUpstream: orderingUpstream(id), runtimeOutputs: templates.runtimeOutputs, steps: steps)
    }

    /// The checks of a table nothing in this pipeline produces (an external source), as a unit of their own.
    func tableChecksUnit(_ table: Table, stage: Int) throws(PlanFailure) -> PlanUnit {
        let (resourceName, dialect) = try database(table)
        var templates = UnitTemplates(unit: .table(table.name.value), env: env, redactor: redactor)
        let steps = try checks(of: table, intervalColumn: nil, templates: &templates)
        return PlanUnit(id: table.name.value, kind: .tableChecks, strategy: nil, stage: stage, resource: resourceName, dialect: dialect,
                        group: table.group?.value, description: table.description, policy: policy(pipeline.defaults), when: nil, upstream: [],
                        runtimeOutputs: templates.runtimeOutputs, steps: steps)
    }

    func database(_ table: Table) throws(PlanFailure) -> (String, Dialect) {
        guard let resource = pipeline.resource(table.resource.value), let dialect = resource.dialect else {
            throw PlanFailure(.error("E206", "table '\(table.name.value)' is not on a database resource", at: table.resource.location))
        }
        return (resource.name.value, dialect)
    }

    /// The strategy's steps, or a compile error at the strategy when the table cannot be lowered as written.
    func lower(_ target: LoweringTarget, _ source: RowSource, at location: SourceLocation) throws(PlanFailure) -> [PlanStep] {
        do throws(LoweringProblem) {
            return try Lowering.steps(target, source: source, context: context)
        } catch {
            throw PlanFailure(.error("E701", error.message, at: location, help: error.help))
        }
    }

    /// Check steps of `table`, restricted to the interval's rows when `intervalColumn` is given.
    func checks(of table: Table, intervalColumn: String?, templates: inout UnitTemplates, rowsTable: String? = nil) throws(PlanFailure) -> [PlanStep] {
        guard !table.checks.isEmpty else { return [] }
        let (resourceName, dialect) = try database(table)
        let target = CheckTarget(table: table, resource: resourceName, dialect: dialect, intervalColumn: intervalColumn,
                                 interval: context.interval, runId: runId, rowsTable: rowsTable)
        var steps: [PlanStep] = []
        for check in table.checks {
            var expression: String?
            if case .expression(let text) = check.rule { expression = try templates.renderStatement(text, dialect, .checkExpression) }
            steps.append(.check(CheckQueries.step(check, target: target, expression: expression)))
        }
        return steps
    }

    func upstream(_ unit: UnitID) -> [String] {
        (graph.upstream[unit] ?? []).map(\.upstream.name)
    }

    func orderingUpstream(_ unit: UnitID) -> [String] {
        (graph.upstream[unit] ?? []).filter { $0.kind == .ordering }.map(\.upstream.name)
    }

    func policy(_ p: RunPolicy) -> PlanPolicy {
        PlanPolicy(retries: p.retries, retryDelayMilliseconds: p.retryDelayMilliseconds, retryBackoff: p.retryBackoff,
                   maxRetryDelayMilliseconds: p.maxRetryDelayMilliseconds, timeoutMilliseconds: p.timeoutMilliseconds,
                   pool: p.pool?.value ?? "default", dependsOnPast: p.dependsOnPast, triggerRule: p.triggerRule,
                   maxActiveRuns: pipeline.schedule?.maxActiveRuns)
    }
}
