import ArgumentParser
import PipecDiagnostics
import PipecModel
import PipecSite

/// The formats `pipec lineage` prints: not the shared text|json of `DiagnosticOptions`, because a graph has no
/// plain-text form worth reading and two drawing languages instead.
enum LineageFormat: String, ExpressibleByArgument, CaseIterable {
    case mermaid, dot, svg, json
}

/// `pipec lineage`'s flags: its own `--format`, plus the diagnostic flags every command that loads a spec takes
/// (`--color`, `--strict`), which it hands to `CommandSupport.loadValid` as `DiagnosticOptions`.
struct LineageOptions: ParsableArguments {
    @Option(help: "Output format: mermaid (a Mermaid flowchart), dot (Graphviz), svg (drawn by Graphviz) or json.")
    var format: LineageFormat = .mermaid

    @Option(help: ArgumentHelp("Keep only what this table, task or asset depends on (transitively), and itself.", valueName: "name"))
    var upstream: String?

    @Option(help: ArgumentHelp("Keep only what depends on this table, task or asset (transitively), and itself.", valueName: "name"))
    var downstream: String?

    @Option(name: .long, help: "Colour for diagnostics: auto (only on a terminal, and not when NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    @Flag(name: .long, help: "Treat warnings (such as literal secrets) as errors.")
    var strict = false

    func validate() throws {
        if upstream != nil && downstream != nil {
            throw ValidationError("give --upstream or --downstream, not both")
        }
    }

    /// The same choices as the flags every other command takes, for loading the spec.
    func diagnosticOptions() throws -> DiagnosticOptions {
        try DiagnosticOptions.parse(["--color", color.rawValue] + (strict ? ["--strict"] : []))
    }
}

/// `pipec lineage SPEC [--format mermaid|dot|json] [--upstream T | --downstream T]`: the table-level lineage graph.
/// Touches nothing: the graph comes from the checked model alone.
struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Print the lineage graph: tables, external assets and tasks, and how data flows between them."
    )

    @Argument(help: "The spec file.")
    var spec: String

    @OptionGroup var options: LineageOptions

    func run() throws {
        let sources = SourceFiles()
        let pipeline = try CommandSupport.loadValid(spec, sources: sources, options: try options.diagnosticOptions())
        var graph = LineageGraph(pipeline: pipeline)
        if let name = options.upstream {
            graph = try focus(graph, on: name, pipeline: pipeline) { $0.upstream(of: $1) }
        } else if let name = options.downstream {
            graph = try focus(graph, on: name, pipeline: pipeline) { $0.downstream(of: $1) }
        }
        switch options.format {
        case .mermaid: Terminal.out(LineageMermaid.render(graph))
        case .dot: Terminal.out(LineageDOT.render(graph))
        case .svg:
            do {
                Terminal.out(try LineageSVG.render(graph).trimmingTrailingNewlines())
            } catch {
                Terminal.err("error: \(error.message)")
                throw ExitStatus.failed.exitCode
            }
        case .json: Terminal.out(LineageJSON.render(graph))
        }
    }

    /// The part of `graph` around `name`, or (after saying why) a usage error: the name is unknown, or it is a task
    /// that moves no data and so has no lineage.
    private func focus(_ graph: LineageGraph, on name: String, pipeline: Pipeline,
                       _ narrow: (LineageGraph, String) -> LineageGraph?) throws -> LineageGraph {
        if let narrowed = narrow(graph, name) { return narrowed }
        if pipeline.hasTask(name) {
            Terminal.err("error: task '\(name)' reads and writes no tables or assets, so it has no lineage")
        } else {
            let help = DidYouMean.help(name, from: graph.nodes.map(\.id)).map { " (\($0))" } ?? ""
            Terminal.err("error: '\(name)' is not a table, task or asset in the lineage of \(spec)\(help)")
        }
        throw ExitStatus.usage.exitCode
    }
}
