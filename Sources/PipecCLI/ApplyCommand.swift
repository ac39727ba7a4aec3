import ArgumentParser
import Dispatch
import Foundation
import PipecDiagnostics
import PipecExec
import PipecModel
import PipecPlan
import PipecSchedule

/// `pipec apply SPEC`: carry the plan out against the real systems and record it in the state store.
/// `pipec apply PLAN.json`: carry out a plan saved with `pipec compile --format json -o PLAN.json`, unless stale.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Carry the plan out: create tables, run the due (or given) intervals, record everything in the state store."
    )

    @Argument(help: "The spec file, or a plan saved with `pipec compile --format json -o PLAN.json` (recognised by its content).")
    var spec: String

    @Option(help: "Run the interval(s) whose ds is this date (or the one whose logical date is this timestamp).")
    var ds: String?

    @Option(help: "Backfill every interval from this date...")
    var from: String?

    @Option(help: "...to this date (inclusive).")
    var to: String?

    @Flag(help: "Run intervals again even if the state store has them done.")
    var rerun = false

    @Option(parsing: .upToNextOption, help: "Only these tables or tasks.")
    var only: [String] = []

    @Option(help: "How many units may run at once (default: the number of cores).")
    var parallel: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("param"), help: "Override a param: --param key=value (repeatable).")
    var params: [String] = []

    @Option(help: "The state store: sqlite:PATH or postgres://... (default: PIPEC_STATE, else .pipec/state.sqlite).")
    var state: String?

    @Flag(help: "Run even though live tables differ from the spec in ways apply does not fix (a retyped or removed column); those columns are left as they are.")
    var allowBreaking = false

    @OptionGroup var options: DiagnosticOptions

    func validate() throws {
        if ds != nil && (from != nil || to != nil) { throw ValidationError("give --ds or --from/--to, not both") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if parallel < 1 { throw ValidationError("--parallel must be at least 1") }
    }

    func run() throws {
        if let planText = SavedPlan.readIfPlan(spec) { return try applySaved(planText) }
        let sources = SourceFiles()
        let pipeline = try CommandSupport.loadValid(spec, sources: sources, options: options)
        var applyOptions = try sharedOptions(pipeline, specText: sources[spec]?.text ?? "")
        if let ds { applyOptions.selection = .ds(ds) }
        if let from, let to { applyOptions.selection = .range(from: from, to: to) }
        applyOptions.params = try CommandSupport.params(params).mapValues { value -> String in
            if case .scalar(let text, _) = value { return text }
            return ""
        }
        try carryOut(pipeline, applyOptions) { log, interruption in
            try Applier.apply(pipeline, options: applyOptions, log: log, interruption: interruption)
        }
    }

    /// `pipec apply PLAN.json`: the plan's runs and params are fixed, and it runs only if compiling its spec for
    /// them now gives the same plan.
    private func applySaved(_ text: String) throws {
        if ds != nil || from != nil || !params.isEmpty {
            Terminal.err("error: \(spec) is a saved plan, which fixes its runs and params: drop --ds, --from/--to and --param, or compile the plan again")
            throw ExitStatus.usage.exitCode
        }
        let plan: Plan
        do {
            plan = try SavedPlan.decode(text, path: spec)
        } catch let e as EngineError {
            Terminal.err("error: \(e.description)")
            throw ExitStatus.failed.exitCode
        }
        guard let specPath = SavedPlan.specPath(of: plan, planPath: spec) else {
            Terminal.err("error: \(spec) was compiled from \(plan.specFile), which is not found (from here or beside the plan)")
            throw ExitStatus.failed.exitCode
        }
        let sources = SourceFiles()
        let pipeline = try CommandSupport.loadValid(specPath, sources: sources, options: options)
        let specText = sources[specPath]?.text ?? ""
        let applyOptions = try sharedOptions(pipeline, specText: specText)
        let runs: [RunTimes]
        do throws(StalePlan) {
            runs = try StalePlanCheck.check(plan, pipeline: pipeline, specText: specText, environment: applyOptions.environment)
        } catch {
            Terminal.err("error: \(spec): \(error.description)")
            throw ExitStatus.failed.exitCode
        }
        try carryOut(pipeline, applyOptions) { log, interruption in
            let executable = try SavedPlanEnvironment.filled(plan, pipeline: pipeline, runs: runs, specText: specText, environment: applyOptions.environment)
            log.line("applying the saved plan \(spec) (plan sha256 \(plan.planHash.prefix(12)))")
            return try Applier.apply(plan: executable, runs: runs, pipeline: pipeline, options: applyOptions, log: log, interruption: interruption)
        }
    }

    /// The flags both forms share.
    private func sharedOptions(_ pipeline: Pipeline, specText: String) throws -> ApplyOptions {
        for name in only where !pipeline.hasTable(name) && !pipeline.hasTask(name) {
            let help = DidYouMean.help(name, from: pipeline.tables.map(\.name.value) + pipeline.tasks.map(\.name.value)).map { " (\($0))" } ?? ""
            Terminal.err("error: --only names '\(name)', which is neither a table nor a task\(help)")
            throw ExitStatus.usage.exitCode
        }
        var applyOptions = ApplyOptions()
        applyOptions.rerun = rerun
        applyOptions.only = only
        applyOptions.parallel = parallel
        applyOptions.state = state
        applyOptions.command = (["pipec"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        applyOptions.specText = specText
        applyOptions.allowBreaking = allowBreaking
        return applyOptions
    }

    /// Runs `body` with a redacting log and Ctrl-C handling, and maps its outcome to an exit code.
    private func carryOut(_ pipeline: Pipeline, _ applyOptions: ApplyOptions,
                          _ body: (ApplyLog, CancellationFlag) throws -> ApplyOutcome) throws {
        let redactor = Redactor(pipeline: pipeline, environment: applyOptions.environment)
        // The bar only on a terminal that takes escape codes (not with --color never or NO_COLOR).
        var bar: (@Sendable (String) -> Void)?
        if Terminal.stdoutIsTTY && options.useColor {
            bar = { @Sendable text in Terminal.raw(text) }
        }
        // With --format json, standard output carries one JSON object (the outcome) and the log lines go to stderr.
        let json = options.format == .json
        let log = ApplyLog(redact: { redactor.redact($0) }, write: { json ? Terminal.err($0) : Terminal.out($0) }, progressBar: json ? nil : bar)
        let interruption = CancellationFlag()
        let signals = Interrupts.install(interruption)
        defer { withExtendedLifetime(signals) {} }

        let outcome: ApplyOutcome
        do {
            outcome = try body(log, interruption)
        } catch let e as EngineError {
            Terminal.err("error: \(log.secrets.redact(e.description))")
            if json {
                Terminal.out(JSONValue.object([("pipeline", .string(pipeline.name.value)), ("status", .string("failed")),
                                               ("unreachable", .bool(e.unreachable)), ("message", .string(log.secrets.redact(e.description)))]).serialized())
            }
            throw (e.unreachable ? ExitStatus.unreachable : ExitStatus.failed).exitCode
        } catch let problem as RunSelection.Problem {
            Terminal.err("error: \(problem.text)")
            throw ExitStatus.usage.exitCode
        }
        if json {
            let counts = outcome.counts.keys.sorted { $0.rawValue < $1.rawValue }.map { ($0.rawValue, JSONValue.int(outcome.counts[$0] ?? 0)) }
            Terminal.out(JSONValue.object([("pipeline", .string(pipeline.name.value)), ("status", .string(outcome.status.rawValue)),
                                           ("unreachable", .bool(outcome.unreachable)), ("runs", .int(outcome.runs)),
                                           ("units", .object(counts)), ("message", .string(log.secrets.redact(outcome.message)))]).serialized())
        }
        log.line("\(outcome.status == .success ? "Apply complete" : outcome.status == .interrupted ? "Apply interrupted" : "Apply failed"): \(outcome.message)")
        switch outcome.status {
        case .success: return
        case .failed, .running, .interrupted:
            throw (outcome.unreachable ? ExitStatus.unreachable : ExitStatus.failed).exitCode
        }
    }
}

/// Ctrl-C stops cleanly: the first interrupt cancels running work (which is recorded as interrupted); a second
/// one exits at once.
enum Interrupts {
    static func install(_ flag: CancellationFlag) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if flag.isCancelled { exit(130) }
                Terminal.err("interrupted: stopping running work (press Ctrl-C again to exit at once)")
                flag.cancel(reason: "interrupted")
            }
            source.resume()
            return source
        }
    }
}
