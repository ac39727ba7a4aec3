import Foundation
import PipecDiagnostics
import PipecSchedule
import PipecTemplate

/// Runs the template engine over every template of the pipeline: syntax errors first, then a trial render
/// against the schedule's first run for undefined names, wrong argument counts and type errors. Templates that
/// read task outputs (known only at run time) are checked for undefined names without rendering.
struct TemplateChecker {
    let pipeline: Pipeline

    func run() -> [Diagnostic] {
        let env = RenderEnvironment(pipeline: pipeline, run: Self.sampleRun(pipeline))
        let known = Set(env.globalNames)
        var collected: [(UnitID, [TemplateText])] = []
        Templates.forEachUnit(in: pipeline) { collected.append(($0, $1)) }
        let units = collected
        // Units are independent: check them in parallel, then merge in declaration order.
        let chunks = max(1, min(units.count / 64, ProcessInfo.processInfo.activeProcessorCount * 4))
        let results = ChunkResults(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var found: [Diagnostic] = []
            var i = chunk
            while i < units.count {
                found += check(units[i].0, units[i].1, env: env, known: known)
                i += chunks
            }
            results.set(chunk, found)
        }
        return results.all
    }

    private func check(_ unit: UnitID, _ texts: [TemplateText], env: RenderEnvironment, known: Set<String>) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let context = env.context(for: unit)
        let item = env.item(of: unit)
        for text in texts {
            let origin = TemplateOrigin(file: text.origin.file, line: text.origin.line, column: text.origin.column, indent: text.origin.indent)
            let template: Template
            do throws(TemplateError) {
                template = try Template.parse(text.text, origin: origin)
            } catch {
                diagnostics.append(error.diagnostic)
                continue
            }
            if !template.staticPaths(from: "tasks").isEmpty {
                for use in template.globalNameUses() where !known.contains(use.name) && !(use.name == "item" && item != nil) {
                    diagnostics.append(.error(TemplateErrorCode.undefined, "'\(use.name)' is undefined", at: use.location,
                                              help: DidYouMean.help(use.name, from: known)))
                }
                continue
            }
            do throws(TemplateError) {
                _ = try template.render(context)
            } catch {
                diagnostics.append(error.diagnostic)
            }
        }
        return diagnostics
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

/// Per-chunk results of a parallel check, merged in a fixed order so output does not depend on scheduling.
private final class ChunkResults: @unchecked Sendable {
    private var slots: [[Diagnostic]]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func set(_ index: Int, _ value: [Diagnostic]) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var all: [Diagnostic] { slots.flatMap { $0 } }
}
