import Foundation
import PipecDiagnostics
import PipecSchedule
import PipecTemplate

extension Dialect {
    public var sqlDialect: SQLDialect {
        switch self {
        case .postgres: return .postgres
        case .clickhouse: return .clickhouse
        case .sqlite: return .sqlite
        case .athena: return .athena
        }
    }
}

/// Everything a template sees for one run of a pipeline: Airflow's variables and macros, `params`, and pipec's
/// own functions (`ref`, `source`, `interval_filter`, `env`, `tasks`, `item`). Built once per run; each unit of
/// work adds its dialect, its `item` and the outputs of the tasks upstream of it.
public struct RenderEnvironment: Sendable {
    public let pipeline: Pipeline
    public let run: RunTimes
    /// The interval `interval_filter` and idempotent strategies cover. Under airflow2 the data interval; under
    /// airflow3 (whose data interval is a single instant) the time since the previous fire time.
    public let interval: (start: Instant, end: Instant)
    /// nil while validating or compiling without `--resolve`: `env('X')` then renders as the reference `${env:X}`.
    public let environment: [String: String]?
    private let base: [String: TemplateValue]
    private let loader: FileTemplateLoader
    /// Real outputs of tasks that already ran (while applying); nil renders them as `<tasks.NAME.OUTPUT>` markers.
    public private(set) var taskOutputs: [(String, TemplateValue)]?
    /// `tasks` as templates see it, built once per environment (a 10,000-task pipeline must not rebuild it for
    /// every unit): the real outputs when set, else markers.
    private var tasksValue: TemplateValue = .none

    /// The same environment with the outputs of the tasks that ran so far, for rendering a unit that reads them.
    public func with(taskOutputs: [(String, TemplateValue)]) -> RenderEnvironment {
        var copy = self
        copy.taskOutputs = taskOutputs
        copy.tasksValue = .object("tasks", taskOutputs)
        return copy
    }

    public init(pipeline: Pipeline, run: RunTimes, params overrides: [String: ParamValue] = [:], environment: [String: String]? = nil) {
        self.pipeline = pipeline
        self.run = run
        self.environment = environment
        var start = run.dataIntervalStart
        if run.semantics == .airflow3, run.dataIntervalStart == run.dataIntervalEnd,
           case .cron(let cron)? = pipeline.schedule?.schedule.kind, let previous = cron.previous(before: run.dataIntervalEnd, in: run.zone) {
            start = previous
        }
        interval = (start, run.dataIntervalEnd)
        var params = pipeline.params.map { ($0.key, $0.value.templateValue(environment: environment)) }
        for (k, v) in overrides.sorted(by: { $0.key < $1.key }) {
            let value = v.templateValue(environment: environment)
            if let i = params.firstIndex(where: { $0.0 == k }) { params[i].1 = value } else { params.append((k, value)) }
        }
        var globals = AirflowContext.globals(for: run, orderedParams: params, dagId: pipeline.name.value)
        let env = environment
        globals["env"] = .function(NativeFunction(name: "env") { args, _ throws(TemplateFunctionError) in
            guard let name = args.first?.stringValue else { throw TemplateFunctionError("env() takes the variable's name as a string") }
            let fallback = args.count > 1 ? args[1].stringValue : nil
            guard let env else { return .string(fallback.map { "${env:\(name):-\($0)}" } ?? "${env:\(name)}") }
            if let v = env[name] { return .string(v) }
            if let fallback { return .string(fallback) }
            throw TemplateFunctionError("environment variable \(name) is not set", help: "export \(name)=... or give a default: env('\(name)', 'value')")
        })
        base = globals
        loader = FileTemplateLoader(projectRoot: pipeline.projectRoot)
        tasksValue = .object("tasks", Self.placeholderOutputs(pipeline))
    }

    /// The context for one unit of work rendering SQL of `dialect`.
    public func context(dialect: SQLDialect, item: ForEachItem?, taskOutputs: [(String, TemplateValue)]) -> TemplateContext {
        context(dialect: dialect, item: item, tasks: .object("tasks", taskOutputs))
    }

    func context(dialect: SQLDialect, item: ForEachItem?, tasks: TemplateValue) -> TemplateContext {
        var globals = base
        let p = pipeline
        let bounds = IntervalFilter.bounds(start: interval.start, end: interval.end, dialect: dialect)
        let resolve: @Sendable (String, Bool) throws(TemplateFunctionError) -> TemplateValue = { name, external throws(TemplateFunctionError) in
            guard p.hasTable(name) else {
                throw TemplateFunctionError("unknown table '\(name)'", help: DidYouMean.help(name, from: p.tables.map(\.name.value)))
            }
            _ = external
            return .string(TableNaming.sql(name, dialect: dialect))
        }
        globals["ref"] = .function(NativeFunction(name: "ref") { args, _ throws(TemplateFunctionError) in
            guard args.count == 1, let name = args[0].stringValue else { throw TemplateFunctionError("ref() takes one table name") }
            return try resolve(name, false)
        })
        globals["source"] = .function(NativeFunction(name: "source") { args, _ throws(TemplateFunctionError) in
            guard args.count == 1, let name = args[0].stringValue else { throw TemplateFunctionError("source() takes one table name") }
            return try resolve(name, true)
        })
        globals["interval_filter"] = .function(NativeFunction(name: "interval_filter") { args, _ throws(TemplateFunctionError) in
            guard args.count == 1, let column = args[0].stringValue else { throw TemplateFunctionError("interval_filter() takes one column name") }
            return .string(IntervalFilter.render(column: column, bounds: bounds))
        })
        globals["tasks"] = tasks
        if let item { globals["item"] = item.templateValue }
        return TemplateContext(globals: globals, dialect: dialect, loader: loader)
    }

    /// The context for units of `dialect` with `item` (nil for most), with placeholders for task outputs. Units
    /// without an item can share one per dialect.
    func context(dialect: SQLDialect, item: ForEachItem?) -> TemplateContext {
        context(dialect: dialect, item: item, tasks: tasksValue)
    }

    /// The context for one unit of work: its SQL dialect, its for_each item, and placeholders for the outputs of
    /// tasks (known only while applying; the graph check makes sure only upstream ones are used).
    public func context(for unit: UnitID, taskOutputs: [(String, TemplateValue)]? = nil) -> TemplateContext {
        if let taskOutputs { return context(dialect: dialect(of: unit), item: item(of: unit), taskOutputs: taskOutputs) }
        return context(dialect: dialect(of: unit), item: item(of: unit), tasks: tasksValue)
    }

    public func item(of unit: UnitID) -> ForEachItem? {
        switch unit {
        case .table(let name): return pipeline.tableIndex(name).flatMap { pipeline.tables[$0].item }
        case .task(let name): return pipeline.taskIndex(name).flatMap { pipeline.tasks[$0].item }
        }
    }

    /// The dialect a unit's SQL is written in: its table's resource, or the resource its query runs on.
    public func dialect(of unit: UnitID) -> SQLDialect {
        let resource: String?
        switch unit {
        case .table(let name):
            resource = tableResource(name)
        case .task(let name):
            switch pipeline.taskIndex(name).map({ pipeline.tasks[$0].body }) {
            case .sql(let q)?: resource = q.resource.value
            case .load(let l)?:
                if case .query(let q) = l.source { resource = q.resource.value } else { resource = tableResource(l.into.value) }
            case .export(let e)?:
                switch e.source {
                case .query(let q): resource = q.resource.value
                case .table(let table, _): resource = tableResource(table.value)
                }
            case .sensor(let s)?:
                if case .sql(let q) = s.condition { resource = q.resource.value } else { resource = nil }
            case .check(let rule, _)?:
                switch rule {
                case .compare(let l, _, _): resource = l.resource.value
                case .query(let q): resource = q.resource.value
                }
            default: resource = nil
            }
        }
        return resource.flatMap { pipeline.resourceKind($0)?.dialect }?.sqlDialect ?? .generic
    }

    private func tableResource(_ name: String) -> String? {
        pipeline.tableIndex(name).map { pipeline.tables[$0].resource.value }
    }

    /// `tasks.NAME.*` before anything ran: each output reads as a marker naming itself.
    private static func placeholderOutputs(_ pipeline: Pipeline) -> [(String, TemplateValue)] {
        pipeline.tasks.map { task in
            let name = task.name.value
            var headers: [(String, TemplateValue)] = []
            if case .sensor(let s) = task.body, case .http(let h) = s.condition, let header = h.untilHeader {
                headers.append((header, .string("<tasks.\(name).headers[\(header)]>")))
            }
            return (name, .object("task \(name)", [
                ("rows", .string("<tasks.\(name).rows>")), ("status", .string("success")),
                ("headers", .dict(headers)), ("value", .string("<tasks.\(name).value>")), ("keys", .list([])),
            ]))
        }
    }

    /// Every global name a template may use (for did-you-mean on undefined names).
    public var globalNames: [String] {
        Array(base.keys) + ["ref", "source", "interval_filter", "tasks", "item"]
    }
}

/// `{% include 'x.sql' %}`: files under the project's templates/ folder, parsed once.
final class FileTemplateLoader: TemplateLoader, @unchecked Sendable {
    let projectRoot: String
    private var cache: [String: Template] = [:]
    private let lock = NSLock()

    init(projectRoot: String) {
        self.projectRoot = projectRoot
    }

    func load(_ name: String) throws(TemplateError) -> Template {
        let relative = name.hasPrefix("templates/") ? name : "templates/" + name
        let path = Paths.normalize(Paths.join(projectRoot, relative))
        lock.lock()
        defer { lock.unlock() }
        if let t = cache[path] { return t }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw TemplateError(.error("E508", "included template '\(name)' not found (looked for \(path))", at: nil))
        }
        let template = try Template.parse(text, origin: .file(path))
        cache[path] = template
        return template
    }
}
