import ArgumentParser
import Foundation
import PipecDiagnostics
import PipecModel
import PipecPlan

/// `pipec emit airflow SPEC [-o FILE] [--pools FILE]`: the pipeline as one static Airflow DAG file whose tasks run
/// `pipec run` on Airflow's workers. Reads only the spec; touches nothing but the files it is asked to write.
struct EmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Compile a spec for another scheduler.",
        subcommands: [EmitAirflowCommand.self]
    )
}

struct EmitAirflowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "airflow",
        abstract: "Write the pipeline as an Airflow DAG file (Airflow 2.10 and 3.x) whose tasks run `pipec run` on the workers."
    )

    @Argument(help: "The spec file.")
    var spec: String

    @Option(name: .shortAndLong, help: "Write the DAG file here (default: standard output).")
    var output: String?

    @Option(help: "Also write the pools the DAG uses, with their slots, for `airflow pools import FILE`.")
    var pools: String?

    @Option(name: .customLong("pipec"), help: "Where pipec is on the workers (default: this pipec); PIPEC_BIN on a worker overrides it.")
    var pipecPath: String?

    @Option(name: .customLong("spec-path"), help: "Where the spec is on the workers (default: its absolute path here); PIPEC_SPEC on a worker overrides it.")
    var specPath: String?

    @OptionGroup var options: DiagnosticOptions

    func run() throws {
        let sources = SourceFiles()
        let pipeline = try CommandSupport.loadValid(spec, sources: sources, options: options)
        var diagnostics: [Diagnostic] = []
        let graph = GraphBuilder.build(pipeline, diagnostics: &diagnostics)
        let dag = AirflowDAG.build(pipeline, graph: graph)
        let emitOptions = AirflowEmitOptions(pipecPath: pipecPath ?? Self.thisExecutable(), specPath: specPath ?? Self.absolute(spec))
        let python = AirflowDAGPrinter.python(dag, pipeline: pipeline, options: emitOptions)
        if let output {
            try write(python, to: output, what: "the DAG")
            Terminal.err("wrote the DAG \(dag.dagID) (\(dag.tasks.count) tasks) to \(output)")
        } else {
            Terminal.out(python.trimmingTrailingNewlines())
        }
        if let pools {
            try write(AirflowDAGPrinter.poolsJSON(dag), to: pools, what: "the pools")
        } else if !dag.pools.isEmpty {
            Terminal.err("note: the DAG uses pools (\(dag.pools.map(\.name.value).joined(separator: ", "))): write them with --pools FILE for `airflow pools import FILE`")
        }
    }

    private func write(_ text: String, to path: String, what: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            Terminal.err("error: cannot write \(what) to \(path): \(error.localizedDescription)")
            throw ExitStatus.failed.exitCode
        }
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The running pipec's own path (/proc/self/exe on Linux), so a DAG emitted on a worker-like machine just works.
    static func thisExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? absolute(CommandLine.arguments[0])
    }
}
