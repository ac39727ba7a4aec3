import ArgumentParser
import Foundation
import PipecDiagnostics
import PipecExec
import PipecModel

/// `pipec runs SPEC`: the run history from the state store.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Show the run history: runs, task instances and tries, durations, rows, errors, check results."
    )

    @Argument(help: "The spec file.")
    var spec: String

    @Option(help: "How many of the most recent runs to show.")
    var last: Int = 10

    @Option(help: "The state store: sqlite:PATH or postgres://... (default: PIPEC_STATE, else .pipec/state.sqlite).")
    var state: String?

    @OptionGroup var options: DiagnosticOptions

    func run() throws {
        let sources = SourceFiles()
        let pipeline = try CommandSupport.loadValid(spec, sources: sources, options: options)
        let store: StateStore?
        let environment = ProcessInfo.processInfo.environment
        let stateURL = state ?? environment["PIPEC_STATE"]
        // Rows written before redaction was complete, or by another spec's apply, are redacted again on the way out.
        let redactor = Redactor(pipeline: pipeline, environment: environment).adding(stateURL.map(Redactor.secrets(inConnection:)) ?? [])
        do {
            // Reading never writes: a SQLite store that does not exist yet is "no runs yet", not a new file.
            store = try StateLocation.parse(stateURL, projectRoot: pipeline.projectRoot).openIfPresent()
        } catch let e as EngineError {
            Terminal.err("error: \(redactor.redact(e.description))")
            throw (e.unreachable ? ExitStatus.unreachable : ExitStatus.failed).exitCode
        }
        let runs = try store?.recentRuns(pipeline: pipeline.name.value, limit: last) ?? []
        var json: [JSONValue] = []
        var text = runs.isEmpty ? "no runs of \(pipeline.name.value) recorded yet\n" : ""
        for run in runs.reversed() {
            guard let store else { break }
            let tasks = try store.taskInstances(applyID: run.applyID, runID: run.runID)
            let checks = try store.checkResults(applyID: run.applyID, runID: run.runID)
            text += "\(run.runID)  ds \(run.ds)  \(run.status)  started \(run.startedAt)\(run.endedAt.map { "  ended \($0)" } ?? "")  (apply \(run.applyID))\n"
            for t in tasks {
                let rows = t.rows.map { "  \($0) rows" } ?? ""
                let ms = t.durationMilliseconds.map { "  \($0)ms" } ?? ""
                text += "    \(t.unit)  try \(t.tryNumber)  \(t.status)\(ms)\(rows)\(t.error.map { "  error: \($0.split(separator: "\n").first ?? "")" } ?? "")\n"
            }
            for c in checks {
                text += "    check \(c.unit)/\(c.check)  \(c.status)\(c.violations.map { $0 > 0 ? "  \($0) violation(s)" : "" } ?? "")\n"
            }
            json.append(.object([
                ("run_id", .string(run.runID)), ("ds", .string(run.ds)), ("status", .string(run.status)), ("apply_id", .string(run.applyID)),
                ("started_at", .string(run.startedAt)), ("ended_at", run.endedAt.map(JSONValue.string) ?? .null),
                ("tasks", .array(tasks.map { t in .object([
                    ("unit", .string(t.unit)), ("try", .int(t.tryNumber)), ("status", .string(t.status)),
                    ("duration_ms", t.durationMilliseconds.map { .int(Int($0)) } ?? .null), ("rows", t.rows.map(JSONValue.int) ?? .null),
                    ("error", t.error.map(JSONValue.string) ?? .null),
                ]) })),
                ("checks", .array(checks.map { c in .object([
                    ("unit", .string(c.unit)), ("check", .string(c.check)), ("severity", .string(c.severity)), ("status", .string(c.status)),
                    ("violations", c.violations.map(JSONValue.int) ?? .null), ("sample", c.sample.map(JSONValue.string) ?? .null),
                ]) })),
            ]))
        }
        switch options.format {
        case .json: Terminal.out(redactor.redact(JSONValue.object([("pipeline", .string(pipeline.name.value)), ("runs", .array(json))]).serialized()))
        case .text: Terminal.out(redactor.redact(text.trimmingTrailingNewlines()))
        }
    }
}
