import ArgumentParser
import Foundation
import PipecDiagnostics
import PipecExec
import PipecModel
import PipecPlan
import PipecSchedule

/// `pipec run SPEC UNIT --logical-date T --data-interval-start T --data-interval-end T --run-id ID --try N`: one
/// unit for one run of another scheduler (the tasks of `pipec emit airflow`'s DAG call it on Airflow's workers).
/// Exit codes: 0 done, 99 skipped (Airflow's BashOperator marks the task skipped), 1 failed, 2 usage, 3 unreachable.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one table build or task for one run of Airflow (or another scheduler), once, and record it in the state store."
    )

    @Argument(help: "The spec file.")
    var spec: String

    @Argument(help: "The table or task to run (omit with --setup).")
    var unit: String?

    @Flag(help: "Instead of a unit: create and alter the tables as the spec says and recreate the run's staging tables empty.")
    var setup = false

    @Option(name: .customLong("logical-date"), help: "The run's logical date (Airflow's logical_date), an ISO 8601 timestamp.")
    var logicalDate: String

    @Option(name: .customLong("data-interval-start"), help: "The run's data interval start (default, or empty: from the schedule).")
    var dataIntervalStart: String?

    @Option(name: .customLong("data-interval-end"), help: "The run's data interval end (default, or empty: from the schedule).")
    var dataIntervalEnd: String?

    @Option(name: .customLong("run-id"), help: "The run's id (Airflow's run_id; default: scheduled__<logical date>).")
    var runID: String?

    @Option(name: .customLong("try"), help: "The try number (Airflow's try_number); the unit's retries say whether a failure is the last try.")
    var tryNumber: Int = 1

    @Option(name: .customLong("param"), help: "Override a param: --param key=value (repeatable).")
    var params: [String] = []

    @Option(help: "The state store: sqlite:PATH or postgres://... (default: PIPEC_STATE, else .pipec/state.sqlite).")
    var state: String?

    @OptionGroup var options: DiagnosticOptions

    func validate() throws {
        if setup == (unit != nil) { throw ValidationError("give a table or task to run, or --setup") }
        if tryNumber < 1 { throw ValidationError("--try must be at least 1") }
    }

    func run() throws {
        let sources = SourceFiles()
        let pipeline = try CommandSupport.loadValid(spec, sources: sources, options: options)
        if let unit, !pipeline.hasTable(unit) && !pipeline.hasTask(unit) {
            let help = DidYouMean.help(unit, from: pipeline.tables.map(\.name.value) + pipeline.tasks.map(\.name.value)).map { " (\($0))" } ?? ""
            Terminal.err("error: '\(unit)' is neither a table nor a task of \(pipeline.name.value)\(help)")
            throw ExitStatus.usage.exitCode
        }
        let logical = try instant(logicalDate, "--logical-date")
        // An empty value (a run Airflow made without a data interval) means the schedule's.
        let times = UnitRunRequest.run(of: pipeline, logicalDate: logical,
                                       dataIntervalStart: try dataIntervalStart.flatMap { $0.isEmpty ? nil : try instant($0, "--data-interval-start") },
                                       dataIntervalEnd: try dataIntervalEnd.flatMap { $0.isEmpty ? nil : try instant($0, "--data-interval-end") },
                                       runId: runID ?? AirflowFormat.runId(.scheduled, logical))
        var applyOptions = ApplyOptions()
        applyOptions.state = state
        applyOptions.command = (["pipec"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        applyOptions.specText = sources[spec]?.text ?? ""
        applyOptions.params = Dictionary(params.compactMap { p in p.firstIndex(of: "=").map { (String(p[..<$0]), String(p[p.index(after: $0)...])) } },
                                         uniquingKeysWith: { _, b in b })

        let redactor = Redactor(pipeline: pipeline, environment: applyOptions.environment)
        let log = ApplyLog(redact: { redactor.redact($0) }, write: { Terminal.out($0) }, progressBar: nil)
        let interruption = CancellationFlag()
        let signals = Interrupts.install(interruption)
        defer { withExtendedLifetime(signals) {} }
        let outcome: ApplyOutcome
        do {
            outcome = try Applier.runUnit(pipeline, request: UnitRunRequest(unit: unit, run: times, tryNumber: tryNumber), options: applyOptions,
                                          log: log, interruption: interruption)
        } catch let e as EngineError {
            Terminal.err("error: \(redactor.redact(e.description))")
            throw (e.unreachable ? ExitStatus.unreachable : ExitStatus.failed).exitCode
        }
        log.line(outcome.message)
        if outcome.status != .success { throw (outcome.unreachable ? ExitStatus.unreachable : ExitStatus.failed).exitCode }
        if outcome.counts[.skipped, default: 0] > 0 { throw ExitCode(AirflowDAGPrinter.skipExitCode) }
    }

    private func instant(_ text: String, _ flag: String) throws -> Instant {
        switch Timestamp.parse(text, zone: .utc) {
        case .success(let value): return value
        case .failure(let error): throw ValidationError("\(flag) '\(text)': \(error.message)")
        }
    }
}
