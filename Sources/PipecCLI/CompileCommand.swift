import ArgumentParser
import Foundation
import PipecDiagnostics
import PipecModel
import PipecPlan

/// `pipec compile SPEC [--ds D | --from A --to B] [--format text|json] [-o FILE] [--param k=v] [--resolve]`: the
/// typed plan as a dry run (text) or in its versioned JSON form. Touches nothing but `-o`'s file.
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a spec into its plan and print it: every statement, in execution order, secrets redacted."
    )

    @Argument(help: "The spec file.")
    var spec: String

    @Option(help: "One run: a date (every run whose ds is that date) or a logical timestamp. Default: the schedule's first run.")
    var ds: String?

    @Option(help: "Backfill: every run whose ds (or logical date) lies in [--from, --to].")
    var from: String?

    @Option(help: "The end of a --from backfill, inclusive.")
    var to: String?

    @Option(name: .shortAndLong, help: "Also write the JSON plan to this file (for `pipec apply PLAN.json`).")
    var output: String?

    @Option(name: .customLong("param"), help: "Override a param: --param key=value (repeatable).")
    var params: [String] = []

    @Flag(help: "Resolve ${env:...} and env() from the environment (secrets are still printed as ***).")
    var resolve = false

    @OptionGroup var options: DiagnosticOptions

    func validate() throws {
        if ds != nil && (from != nil || to != nil) { throw ValidationError("give either --ds or --from/--to, not both") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
    }

    func run() throws {
        let sources = SourceFiles()
        let pipeline = try CommandSupport.loadValid(spec, sources: sources, options: options)
        let selection: RunSelection
        if let ds {
            selection = .ds(ds)
        } else if let from, let to {
            selection = .range(from: from, to: to)
        } else {
            selection = .first
        }
        let runs = try CommandSupport.runs(selection, pipeline)
        let overrides = try CommandSupport.params(params).mapValues { value -> String in
            if case .scalar(let text, _) = value { return text }
            return ""
        }
        let environment = ProcessInfo.processInfo.environment
        let plan: Plan
        var planOptions = PlanOptions(params: overrides, environment: resolve ? environment : nil, secretEnvironment: environment,
                                      specText: sources[pipeline.file]?.text ?? "")
        planOptions.resolveResources = resolve
        do throws(PlanCompileError) {
            plan = try PlanCompiler.compile(pipeline, runs: runs, options: planOptions)
        } catch {
            Terminal.err(DiagnosticRenderer(sources: sources, color: options.useColor).render(error.diagnostics).trimmingTrailingNewlines())
            throw ExitStatus.failed.exitCode
        }
        // The JSON form only when it is asked for: a large plan serializes to tens of megabytes.
        let json = output != nil || options.format == .json ? PlanJSON.encode(plan).serialized() : ""
        if let output {
            do {
                try Data((json + "\n").utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                Terminal.err("error: cannot write the plan to \(output): \(error.localizedDescription)")
                throw ExitStatus.failed.exitCode
            }
        }
        switch options.format {
        case .json: Terminal.out(json)
        case .text: Terminal.out(PlanTextPrinter.print(plan).trimmingTrailingNewlines())
        }
        if let output { Terminal.err("wrote the plan to \(output) (plan sha256 \(plan.planHash))") }
    }
}
