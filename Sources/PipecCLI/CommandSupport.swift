import ArgumentParser
import PipecDiagnostics
import PipecModel
import PipecSchedule

/// Steps several commands share: load a spec and stop on errors, pick runs, read `--param`s.
enum CommandSupport {
    /// The checked model, or (after printing every diagnostic) exit 1.
    static func loadValid(_ path: String, sources: SourceFiles, options: DiagnosticOptions) throws -> Pipeline {
        try loadValid(path, sources: sources, strict: options.strict, color: options.useColor)
    }

    static func loadValid(_ path: String, sources: SourceFiles, strict: Bool, color: Bool) throws -> Pipeline {
        let loaded = SpecLoader.load(path: path, sources: sources)
        let diagnostics = strict ? loaded.diagnostics.escalatingWarnings() : loaded.diagnostics
        let ordered = diagnostics.sorted()
        if !ordered.isEmpty {
            Terminal.err(DiagnosticRenderer(sources: sources, color: color).render(ordered).trimmingTrailingNewlines())
        }
        guard !diagnostics.hasErrors, let pipeline = loaded.pipeline else {
            Terminal.err(Summary.line(path: path, pipeline: loaded.pipeline, diagnostics: diagnostics))
            throw ExitStatus.failed.exitCode
        }
        return pipeline
    }

    static func runs(_ selection: RunSelection, _ pipeline: Pipeline) throws -> [RunTimes] {
        let runs: [RunTimes]
        do throws(RunSelection.Problem) {
            runs = try selection.runs(for: pipeline)
        } catch {
            Terminal.err("error: \(error.text)")
            throw (error.kind == .noRuns ? ExitStatus.failed : ExitStatus.usage).exitCode
        }
        return runs
    }

    /// `--param key=value` pairs.
    static func params(_ raw: [String]) throws -> [String: ParamValue] {
        var out: [String: ParamValue] = [:]
        for p in raw {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                Terminal.err("error: --param expects key=value, got '\(p)'")
                throw ExitStatus.usage.exitCode
            }
            out[String(p[..<eq])] = .commandLine(String(p[p.index(after: eq)...]))
        }
        return out
    }
}

enum AirflowFormatting {
    static func ds(_ run: RunTimes) -> String { AirflowFormat.ds(run.logicalDate) }
}
