import Foundation
import PipecDiagnostics
import PipecSchedule
import PipecTemplate

/// Runs the template engine over every template of the pipeline: syntax errors first, then a trial render
/// against the schedule's first run for undefined names, wrong argument counts and type errors. Templates that
/// read task outputs (known only at run time) are checked for undefined names without rendering.
struct TemplateChecker {
    let pipeline: Pipeline
    /// Templates parsed while the spec was read, if any.
    var preparsed: TemplatePreparse?

    init(pipeline: Pipeline, preparsed: TemplatePreparse? = nil) {
        self.pipeline = pipeline
        self.preparsed = preparsed
    }

    func run() -> [Diagnostic] {
        let work = prepare()
        work.help()
        return work.diagnostics
    }

    /// The checks to do, in chunks that any thread may take (`Work.help`): the thread that prepares them and any
    /// other that has finished its own stage.
    func prepare() -> Work {
        let env = RenderEnvironment(pipeline: pipeline, run: Self.sampleRun(pipeline))
        let known = Set(env.globalNames)
        // Most units have no for_each item, so their context depends only on the dialect: build it once per dialect.
        var contexts: [TemplateContext] = []
        var shared: [SQLDialect: Int] = [:]
        var units: [Unit] = []
        units.reserveCapacity(pipeline.tables.count + pipeline.tasks.count)
        Templates.forEachUnit(in: pipeline) { unit, texts in
            let dialect = env.dialect(of: unit)
            let item = env.item(of: unit)
            let context: Int
            if item == nil, let c = shared[dialect] {
                context = c
            } else {
                context = contexts.count
                contexts.append(env.context(dialect: dialect, item: item))
                if item == nil { shared[dialect] = context }
            }
            var oneStatement = texts.count, isTable = true
            if case .task(let name) = unit {
                isTable = false
                oneStatement = pipeline.taskIndex(name).map { Templates.oneStatementCount(pipeline.tasks[$0]) } ?? 0
            }
            units.append(Unit(texts: texts, context: context, hasItem: item != nil, oneStatement: oneStatement, isTable: isTable,
                              backslashEscapes: dialect == .clickhouse || dialect == .athena))
        }
        return Work(units: units, contexts: contexts, known: known, preparsed: preparsed)
    }

    /// Units are independent: they are checked in chunks of consecutive units, by whichever thread takes the chunk,
    /// and the results merged in declaration order.
    final class Work: @unchecked Sendable {
        private let units: [Unit]
        private let contexts: [TemplateContext]
        private let known: Set<String>
        private let parses: TemplateParses
        /// Small enough that a thread joining late still finds work; large enough that taking one costs nothing.
        private static let chunkSize = 32
        private let chunks: Int
        private let lock = NSLock()
        private var next = 0
        private var slots: [[Diagnostic]]

        fileprivate init(units: [Unit], contexts: [TemplateContext], known: Set<String>, preparsed: TemplatePreparse?) {
            parses = TemplateParses(preparsed: preparsed)
            self.units = units
            self.contexts = contexts
            self.known = known
            chunks = (units.count + Self.chunkSize - 1) / Self.chunkSize
            slots = Array(repeating: [], count: chunks)
        }

        /// Checks chunks until none is left.
        func help() {
            while let chunk = take() {
                var found: [Diagnostic] = []
                for i in chunk * Self.chunkSize..<min(units.count, (chunk + 1) * Self.chunkSize) {
                    found += TemplateChecker.check(units[i], context: contexts[units[i].context], known: known, parses: parses)
                }
                if !found.isEmpty { lock.withLock { slots[chunk] = found } }
            }
        }

        private func take() -> Int? {
            lock.withLock {
                guard next < chunks else { return nil }
                defer { next += 1 }
                return next
            }
        }

        /// Every diagnostic, in declaration order; read once every thread that helped has returned.
        var diagnostics: [Diagnostic] { lock.withLock { slots.flatMap { $0 } } }
    }

    fileprivate struct Unit {
        var texts: [TemplateText]
        /// Index of the unit's context (shared by the units of a dialect that have no item).
        var context: Int
        var hasItem: Bool
        /// How many leading texts are SQL that must render as one statement (`OneStatement`).
        var oneStatement: Int
        var isTable: Bool
        var backslashEscapes: Bool
    }

    fileprivate static func check(_ unit: Unit, context: TemplateContext, known: Set<String>, parses: TemplateParses) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let hasItem = unit.hasItem
        for (index, text) in unit.texts.enumerated() {
            let origin = TemplateOrigin(file: text.origin.file, line: text.origin.line, column: text.origin.column, indent: text.origin.indent)
            let template: Template
            switch parses.parse(text, origin: origin) {
            case .success(let parsed): template = parsed
            case .failure(let error):
                diagnostics.append(error.diagnostic)
                continue
            }
            // A template can only read `tasks` if it spells the name: most never do, and need no walk of their tree.
            if TemplateScan.mentionsTasks(in: text.text), !template.staticPaths(from: "tasks").isEmpty {
                for use in template.globalNameUses() where !known.contains(use.name) && !(use.name == "item" && hasItem) {
                    diagnostics.append(.error(TemplateErrorCode.undefined, "'\(use.name)' is undefined", at: use.location,
                                              help: DidYouMean.help(use.name, from: known)))
                }
                continue
            }
            do throws(TemplateError) {
                let rendered = try template.render(context)
                if index < unit.oneStatement, let problem = OneStatement.problem(rendered, backslashEscapes: unit.backslashEscapes,
                                                                                 role: role(index, of: unit), at: text.location) {
                    diagnostics.append(problem)
                }
            } catch {
                // Only a template that fails is walked again for every independent error (all problems at once).
                let all = template.check(context)
                diagnostics += all.isEmpty ? [error.diagnostic] : all.map(\.diagnostic)
            }
        }
        return diagnostics
    }

    /// What the `index`th text of a unit is, for the one-statement message.
    private static func role(_ index: Int, of unit: Unit) -> OneStatement.Role {
        unit.isTable ? (index == 0 ? .build : .checkExpression) : .query
    }

    /// The first scheduled run at or after the schedule's start (or a manual run on 2025-01-01): deterministic,
    /// so validation gives the same answer every day.
    static func sampleRun(_ pipeline: Pipeline) -> RunTimes {
        let fallbackDay = CivilDateTime(year: 2025, month: 1, day: 1)
        guard let schedule = pipeline.schedule?.schedule else {
            return Schedule(kind: .manual).runs(forDs: fallbackDay).first!
        }
        if let start = schedule.start {
            let runs = schedule.runs(from: start, through: start.adding(seconds: 400 * 86_400))
            if let first = runs.first { return first }
        }
        let runs = Schedule(kind: .manual, zone: schedule.zone, semantics: schedule.semantics).runs(forDs: fallbackDay)
        return runs.first ?? schedule.runTimes(logicalDate: fallbackDay.instant(offsetSeconds: 0), runType: .manual)
    }
}
