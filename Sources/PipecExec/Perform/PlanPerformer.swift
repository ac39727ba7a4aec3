import Foundation
import PipecIO
import PipecModel
import PipecPlan
import PipecTemplate

/// A unit of a run, as the DAG runner schedules it.
struct ScheduledUnit: Sendable {
    var run: Int
    var unit: PlanUnit
}

/// Carries out one attempt of a plan unit: resolves late text (`when:`, task outputs), then runs its steps in
/// order. Failures become `.failed` with the engine's message and the statement; nothing escapes as a crash.
final class PlanPerformer: WorkPerformer, @unchecked Sendable {
    let context: ApplyContext
    let units: [String: ScheduledUnit]

    init(context: ApplyContext, units: [String: ScheduledUnit]) {
        self.context = context
        self.units = units
    }

    func perform(_ item: WorkItem, attempt: Int, cancel: CancellationFlag) -> WorkOutcome {
        guard let scheduled = units[item.id] else { return .failed(message: "no such unit \(item.id)") }
        var unit = scheduled.unit
        let run = scheduled.run
        do {
            if !unit.runtimeOutputs.isEmpty || unit.when.map({ if case .deferred = $0 { return true } else { return false } }) == true {
                unit = try recompile(unit, run: run)
            }
            if let when = unit.when {
                let text: String
                switch when {
                case .rendered(let s): text = s
                case .deferred(let d): text = try render(d, run: run, unit: unit.id)
                }
                if Self.isFalse(text) { return .shortCircuit(reason: "when: is false (\(text.trimmingCharacters(in: .whitespacesAndNewlines)))") }
            }
            var steps = StepRunner(context: context, run: run, unit: unit, cancel: cancel)
            for step in unit.steps {
                if cancel.isCancelled { throw EngineError(cancel.reason ?? "cancelled") }
                try steps.run(step)
            }
            if case .task = unitKind(unit) {
                context.setOutputs(run: run, task: unit.id, steps.outputs(status: "success"))
            }
            return .success(rows: steps.rows)
        } catch let skip as SensorSoftFail {
            context.setOutputs(run: run, task: unit.id, [("rows", .int(0)), ("status", .string("skipped"))])
            return .skipped(reason: skip.reason)
        } catch let e as EngineError {
            if e.unreachable { context.noteUnreachable() }
            return .failed(message: e.description)
        } catch let e as CheckFailure {
            return .failed(message: e.description)
        } catch let e as ObjectStoreError {
            if case .unreachable = e { context.noteUnreachable() }
            return .failed(message: e.description)
        } catch {
            return .failed(message: "\(error)")
        }
    }

    private func unitKind(_ unit: PlanUnit) -> UnitID {
        context.pipeline.hasTask(unit.id) ? .task(unit.id) : .table(unit.id)
    }

    /// Compiles the unit again now that the outputs it reads exist.
    private func recompile(_ unit: PlanUnit, run: Int) throws -> PlanUnit {
        do throws(PlanCompileError) {
            return try PlanCompiler.recompile(unit: unit.id, stage: unit.stage, context.pipeline, run: context.runs[run],
                                              options: context.options, taskOutputs: context.outputs(run: run))
        } catch {
            throw EngineError(error.diagnostics.map(\.message).joined(separator: "; "))
        }
    }

    private func render(_ d: DeferredTemplate, run: Int, unit: String) throws -> String {
        do throws(TemplateError) {
            let template = try Template.parse(d.template, origin: TemplateOrigin(file: d.file, line: d.line, column: d.column, indent: d.indent))
            return try template.render(context.context(run: run, unit: unit))
        } catch {
            throw EngineError("\(error.diagnostic.location.map { "\($0): " } ?? "")\(error.diagnostic.message)")
        }
    }

    /// `when:` is false when it renders (trimmed, case-insensitively) as false, 0, none, no or nothing.
    static func isFalse(_ text: String) -> Bool {
        ["", "false", "0", "none", "no"].contains(text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }
}

/// A sensor that timed out with `soft_fail: true`: the unit is skipped, not failed.
struct SensorSoftFail: Error {
    var reason: String
}

/// An error-severity check that failed, with the sample rows that show why.
struct CheckFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
