import ArgumentParser
import PipecDiagnostics
import PipecModel

/// `pipec validate SPEC...`: parse and check; print every diagnostic. Touches nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Parse and check specs; print every diagnostic."
    )

    @Argument(help: "Spec files (YAML or JSON).")
    var specs: [String]

    @OptionGroup var options: DiagnosticOptions

    func run() throws {
        let sources = SourceFiles()
        var failed = false
        var reports: [JSONValue] = []
        for path in specs {
            let loaded = SpecLoader.load(path: path, sources: sources)
            let diagnostics = options.strict ? loaded.diagnostics.escalatingWarnings() : loaded.diagnostics
            failed = failed || diagnostics.hasErrors
            let ordered = diagnostics.sorted()
            switch options.format {
            case .json:
                var report: [(String, JSONValue)] = [("file", .string(path)), ("valid", .bool(!diagnostics.hasErrors))]
                if case .object(let fields) = DiagnosticRenderer.json(ordered) { report += fields }
                reports.append(.object(report))
            case .text:
                let renderer = DiagnosticRenderer(sources: sources, color: options.useColor)
                if !ordered.isEmpty { Terminal.err(renderer.render(ordered).trimmingTrailingNewlines()) }
                Terminal.err(Summary.line(path: path, pipeline: loaded.pipeline, diagnostics: diagnostics))
            }
        }
        if options.format == .json {
            Terminal.out(JSONValue.object([("specs", .array(reports))]).serialized())
        }
        if failed { throw ExitStatus.failed.exitCode }
    }
}

enum Summary {
    /// `specs/x.yaml: valid (3 resources, 16 tables, 15 tasks)` or `specs/x.yaml: 2 errors, 1 warning`.
    static func line(path: String, pipeline: Pipeline?, diagnostics: Diagnostics) -> String {
        let errors = diagnostics.errorCount, warnings = diagnostics.warningCount
        var parts: [String] = []
        if errors > 0 { parts.append(plural(errors, "error")) }
        if warnings > 0 { parts.append(plural(warnings, "warning")) }
        if errors == 0, let p = pipeline {
            let counts = "\(plural(p.resources.count, "resource")), \(plural(p.tables.count, "table")), \(plural(p.tasks.count, "task"))"
            return "\(path): valid (\(counts))" + (warnings > 0 ? ", \(plural(warnings, "warning"))" : "")
        }
        return "\(path): " + parts.joined(separator: ", ")
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}

extension String {
    /// Walks back over bytes: `dropLast` on a string counts its characters, which shows on megabyte plans.
    func trimmingTrailingNewlines() -> String {
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "\n") { end = utf8.index(before: end) }
        return end == utf8.endIndex ? self : String(self[..<end])
    }
}
