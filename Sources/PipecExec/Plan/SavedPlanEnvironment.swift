import PipecDiagnostics
import PipecModel
import PipecPlan
import PipecSchedule

/// Fills in the `${env:NAME}` references a plan compiled without `--resolve` leaves in its statements.
///
/// The references are filled by compiling the spec again with the environment resolved, not by pasting values
/// into the text, so a value rendered through `sql_literal` is still quoted correctly. Only the parts of the plan
/// that show a reference are taken from that compile; every other part must come out identical, so what runs is
/// what was reviewed. A part that differs without showing a reference renders differently depending on the
/// environment (an `{% if env(...) %}`), which the saved plan cannot show: that plan is refused.
public enum SavedPlanEnvironment {
    public static func filled(_ saved: Plan, pipeline: Pipeline, runs: [RunTimes], specText: String, environment: [String: String]) throws -> Plan {
        guard !saved.resolved else { return saved }
        let json = PlanJSON.encode(saved)
        let ensureRefs = elements(json["ensure"]).map(hasReference)
        let runJSON = elements(json["runs"])
        let setupRefs = runJSON.map { hasReference($0["setup"]) }
        let unitRefs = runJSON.map { elements($0["units"]).map(hasReference) }
        guard ensureRefs.contains(true) || setupRefs.contains(true) || unitRefs.contains(where: { $0.contains(true) }) else { return saved }

        let options = PlanOptions(params: Dictionary(saved.params.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b }),
                                  environment: environment, secretEnvironment: environment, specText: specText)
        let resolved: Plan
        do throws(PlanCompileError) {
            resolved = try PlanCompiler.compile(pipeline, runs: runs, options: options)
        } catch {
            throw EngineError("cannot fill in the plan's ${env:...} references: "
                              + error.diagnostics.map { "\($0.location.map { "\($0): " } ?? "")\($0.message)" }.joined(separator: "; "))
        }
        guard resolved.ensure.count == saved.ensure.count, resolved.runs.count == saved.runs.count else { throw hidden("the plan's setup") }

        var out = saved
        for (i, action) in saved.ensure.enumerated() {
            let other = resolved.ensure[i]
            guard other.kind == action.kind, other.object == action.object, ensureRefs[i] || other == action else { throw hidden("\(action.kind.rawValue) \(action.object)") }
            out.ensure[i] = other
        }
        for (r, run) in saved.runs.enumerated() {
            let fresh = resolved.runs[r]
            if setupRefs[r] { out.runs[r].setup = fresh.setup } else if fresh.setup != run.setup { throw hidden("the staging setup of \(run.runId)") }
            for (u, unit) in run.units.enumerated() {
                guard let other = fresh.units.first(where: { $0.id == unit.id }) else { throw hidden(unit.id) }
                if unitRefs[r][u] {
                    out.runs[r].units[u] = other
                } else if other.contentHash != unit.contentHash {
                    throw hidden(unit.id)
                }
            }
        }
        return out
    }

    private static func hidden(_ what: String) -> EngineError {
        EngineError("\(what) renders differently once the environment is resolved, in a way the saved plan does not show "
                    + "(env() deciding what is rendered): compile the plan with --resolve")
    }

    private static func elements(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items) = value { return items }
        return []
    }

    private static func hasReference(_ value: JSONValue?) -> Bool {
        value.map { $0.serialized(pretty: false).contains("${env:") } ?? false
    }
}
