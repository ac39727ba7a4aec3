import ArgumentParser
import Foundation
import PipecDiagnostics
import PipecModel

/// `pipec render SPEC TASK_OR_TABLE [--ds D]`: one table build's or task's rendered SQL or request.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print one table build's or task's rendered SQL (or request) for a run."
    )

    @Argument(help: "The spec file.")
    var spec: String

    @Argument(help: "A table or task name.")
    var name: String

    @Option(help: "The run: a date (the first run whose ds is that date) or a logical timestamp. Default: the schedule's first run.")
    var ds: String?

    @Option(name: .customLong("param"), help: "Override a param: --param key=value (repeatable).")
    var params: [String] = []

    @Flag(help: "Resolve ${env:...} and env() from the environment (secrets are still printed as ***).")
    var resolve = false

    @OptionGroup var options: DiagnosticOptions

    func run() throws {
        let sources = SourceFiles()
        let pipeline = try CommandSupport.loadValid(spec, sources: sources, options: options)
        let unit: UnitID
        if pipeline.hasTable(name) {
            unit = .table(name)
        } else if pipeline.hasTask(name) {
            unit = .task(name)
        } else {
            let names = pipeline.tables.map(\.name.value) + pipeline.tasks.map(\.name.value)
            let help = DidYouMean.help(name, from: names).map { " (\($0))" } ?? ""
            Terminal.err("error: '\(name)' is neither a table nor a task of \(spec)\(help)")
            throw ExitStatus.usage.exitCode
        }
        let runs = try CommandSupport.runs(ds.map(RunSelection.ds) ?? .first, pipeline)
        let run = runs[0]
        let processEnv = ProcessInfo.processInfo.environment
        let overrides = try CommandSupport.params(params)
        if resolve {
            let unset = EnvironmentText.unsetParams(pipeline, overrides: overrides, environment: processEnv)
            if !unset.isEmpty {
                Terminal.err(DiagnosticRenderer(sources: sources, color: options.useColor).render(unset).trimmingTrailingNewlines())
                throw ExitStatus.failed.exitCode
            }
        }
        let env = RenderEnvironment(pipeline: pipeline, run: run, params: overrides, environment: resolve ? processEnv : nil)
        let redactor = Redactor(pipeline: pipeline, environment: processEnv)
        switch UnitRendering.render(unit, env: env) {
        case .failure(let diagnostic):
            Terminal.err(DiagnosticRenderer(sources: sources, color: options.useColor).render(diagnostic))
            throw ExitStatus.failed.exitCode
        case .success(let parts) where options.format == .json:
            let object = JSONValue.object([
                ("pipeline", .string(pipeline.name.value)), ("unit", .string(name)), ("kind", .string(pipeline.hasTable(name) ? "table" : "task")),
                ("run_id", .string(run.runId)), ("ds", .string(AirflowFormatting.ds(run))),
                ("data_interval_start", .string("\(run.dataIntervalStart)")), ("data_interval_end", .string("\(run.dataIntervalEnd)")),
                ("runs_with_ds", .int(runs.count)),
                ("parts", .array(parts.map { .object([("label", .string($0.label)), ("text", .string(redactor.redact($0.text)))]) })),
            ])
            Terminal.out(object.serialized())
        case .success(let parts):
            var out = "-- \(unit) of pipeline \(pipeline.name.value)\n"
            out += "-- run \(run.runId): ds \(AirflowFormatting.ds(run)), data interval [\(run.dataIntervalStart), \(run.dataIntervalEnd))\n"
            if runs.count > 1 {
                out += "-- 1 of \(runs.count) runs with ds \(ds ?? ""); give --ds a timestamp (e.g. \(runs[1].logicalDate)) for another\n"
            }
            for part in parts {
                out += parts.count > 1 || part.label != "build" ? "-- \(part.label)\n" : ""
                out += part.text.hasSuffix("\n") ? part.text : part.text + "\n"
            }
            Terminal.out(redactor.redact(out).trimmingTrailingNewlines())
        }
    }
}
