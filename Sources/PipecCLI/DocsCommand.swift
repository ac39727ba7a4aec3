import ArgumentParser
import Foundation
import PipecDiagnostics
import PipecExec
import PipecModel
import PipecSchedule
import PipecSite

/// `pipec docs SPEC... -o DIR [--ds D] [--state S] [--last N]`: a static site of the pipelines, their lineage and
/// (when a state store exists) their history. Reads specs and the store; writes only into DIR.
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write a static site: pipelines, tables, columns, checks, SQL, the lineage graph and the run history."
    )

    @Argument(help: "The spec files.")
    var specs: [String]

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The folder to write the site into (created if missing).", valueName: "dir"))
    var output: String

    @Option(help: "The run whose rendered SQL the pages show: a date or a logical timestamp. Default: the schedule's first run.")
    var ds: String?

    @Option(help: "The state store to read history from: sqlite:PATH or postgres://... (default: PIPEC_STATE, else .pipec/state.sqlite when it exists).")
    var state: String?

    @Option(help: "How many of the most recent runs the history shows.")
    var last: Int = 30

    @OptionGroup var options: DiagnosticOptions

    func validate() throws {
        if specs.isEmpty { throw ValidationError("give at least one spec") }
        if last < 1 { throw ValidationError("--last must be at least 1") }
        // A ds that is no date or timestamp is a usage error; one that a pipeline has no run for is only a note on
        // its pages (several specs rarely share every ds).
        if let ds, (try? Timestamp.parseDate(ds).get()) == nil, (try? Timestamp.parse(ds, zone: .utc).get()) == nil {
            throw ValidationError("--ds expects a date (2025-01-03) or a timestamp (2025-01-03T05:00:00Z), got '\(ds)'")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        var sites: [PipelineSite] = []
        for spec in specs {
            let sources = SourceFiles()
            let pipeline = try CommandSupport.loadValid(spec, sources: sources, options: options)
            var note: String?
            let run: RunTimes
            if let ds, let chosen = try? RunSelection.ds(ds).runs(for: pipeline).first {
                run = chosen
            } else {
                run = try CommandSupport.runs(.first, pipeline)[0]
                if let ds { note = "\(pipeline.name.value) has no run with ds \(ds); this is its first run." }
            }
            sites.append(PipelineSite(pipeline: pipeline, run: run, runNote: note, history: try history(of: pipeline, environment),
                                      redactor: Redactor(pipeline: pipeline, environment: environment)))
        }
        let summary: DocsSite.Summary
        do {
            summary = try DocsSite.write(sites, to: output)
        } catch let e as Graphviz.Failure {
            Terminal.err("error: \(e.message)")
            throw ExitStatus.failed.exitCode
        } catch let e as DocsSite.WriteFailure {
            Terminal.err("error: \(e.description)")
            throw ExitStatus.failed.exitCode
        } catch {
            Terminal.err("error: cannot write the site into \(output): \(error.localizedDescription)")
            throw ExitStatus.failed.exitCode
        }
        Terminal.out("wrote \(summary.files) files (\(summary.bytes / 1024) KiB) into \(output); open \((output as NSString).appendingPathComponent("index.html"))")
    }

    /// The pipeline's history, or nil when no store exists (the default SQLite file is missing): reading never
    /// creates a store. A store that is given but cannot be read is an error.
    private func history(of pipeline: Pipeline, _ environment: [String: String]) throws -> RunHistory? {
        do {
            let location = try StateLocation.parse(state ?? environment["PIPEC_STATE"], projectRoot: pipeline.projectRoot)
            guard let store = try RunHistory.openIfPresent(location) else { return nil }
            return try RunHistory.read(from: store, source: location.display, pipeline: pipeline.name.value, limit: last)
        } catch let e as EngineError {
            Terminal.err("error: \(e.description)")
            throw (e.unreachable ? ExitStatus.unreachable : ExitStatus.failed).exitCode
        }
    }
}
