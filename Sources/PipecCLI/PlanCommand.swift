import ArgumentParser
import Foundation
import PipecDiagnostics
import PipecExec
import PipecModel

/// `pipec plan SPEC`: what `pipec apply` would do now with the same flags, against the live databases and the
/// state store. Reads only; prints Terraform-style lines and a summary.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would do now: tables to create or alter (against the live databases), breaking differences, intervals to run."
    )

    @Argument(help: "The spec file.")
    var spec: String

    @Option(help: "The interval(s) whose ds is this date (or the one whose logical date is this timestamp).")
    var ds: String?

    @Option(help: "Every interval from this date...")
    var from: String?

    @Option(help: "...to this date (inclusive).")
    var to: String?

    @Flag(help: "Count intervals as to run even if the state store has them done (as apply --rerun).")
    var rerun = false

    @Option(parsing: .upToNextOption, help: "Only these tables or tasks (as apply --only).")
    var only: [String] = []

    @Option(name: .customLong("param"), help: "Override a param: --param key=value (repeatable).")
    var params: [String] = []

    @Option(help: "The state store: sqlite:PATH or postgres://... (default: PIPEC_STATE, else .pipec/state.sqlite).")
    var state: String?

    @Flag(help: "Show breaking differences as apply --allow-breaking would take them: left as they are, not an error.")
    var allowBreaking = false

    @Flag(help: "Exit 0 when there is nothing to do, 1 on error, 2 when changes are pending.")
    var detailedExitcode = false

    @OptionGroup var options: DiagnosticOptions

    func validate() throws {
        if ds != nil && (from != nil || to != nil) { throw ValidationError("give --ds or --from/--to, not both") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
    }

    func run() throws {
        let sources = SourceFiles()
        let pipeline = try CommandSupport.loadValid(spec, sources: sources, options: options)
        for name in only where !pipeline.hasTable(name) && !pipeline.hasTask(name) {
            let help = DidYouMean.help(name, from: pipeline.tables.map(\.name.value) + pipeline.tasks.map(\.name.value)).map { " (\($0))" } ?? ""
            Terminal.err("error: --only names '\(name)', which is neither a table nor a task\(help)")
            throw ExitStatus.usage.exitCode
        }
        var planOptions = ApplyOptions()
        if let ds { planOptions.selection = .ds(ds) }
        if let from, let to { planOptions.selection = .range(from: from, to: to) }
        planOptions.rerun = rerun
        planOptions.only = only
        planOptions.params = try CommandSupport.params(params).mapValues { value -> String in
            if case .scalar(let text, _) = value { return text }
            return ""
        }
        planOptions.state = state
        planOptions.specText = sources[pipeline.file]?.text ?? ""
        planOptions.allowBreaking = allowBreaking

        let redactor = Redactor(pipeline: pipeline, environment: planOptions.environment)
        let plan: LivePlan
        do {
            plan = try LivePlanner.plan(pipeline, options: planOptions)
        } catch let e as EngineError {
            Terminal.err("error: \(redactor.redact(e.description))")
            throw (e.unreachable ? ExitStatus.unreachable : ExitStatus.failed).exitCode
        } catch let problem as RunSelection.Problem {
            Terminal.err("error: \(problem.text)")
            throw ExitStatus.usage.exitCode
        }
        switch options.format {
        case .json: Terminal.out(redactor.redact(LivePlanPrinter.json(plan).serialized()))
        case .text: Terminal.out(redactor.redact(LivePlanPrinter.text(plan)))
        }
        if plan.refused {
            Terminal.err("error: apply would refuse \(plan.breaking.count) breaking difference(s) between the live tables and the spec")
            throw ExitStatus.failed.exitCode
        }
        if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
    }
}
