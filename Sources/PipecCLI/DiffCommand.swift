import ArgumentParser
import Foundation
import PipecDiagnostics
import PipecModel

enum DiffFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, json
}

/// `pipec diff OLD NEW`, `pipec diff SPEC --against GITREV` or `pipec diff OLD NEW --against GITREV` (OLD at the
/// revision, NEW as it is): a semantic diff for code review.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two versions of a spec: tables, columns, rendered SQL, strategies, schedule, and what downstream is affected."
    )

    @Argument(help: "OLD_SPEC NEW_SPEC, or one spec with --against (two with --against: OLD_SPEC at GITREV against NEW_SPEC as it is).")
    var specs: [String]

    @Option(help: "Take the old spec (and its templates) from this git revision of the given spec's path.")
    var against: String?

    @Option(help: "Output format: text, markdown or json.")
    var format: DiffFormat = .text

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a change of this kind is present (breaking).")
    var failOn: FailOn?

    @Option(name: .long, help: "Colour for diagnostics: auto, always or never.")
    var color: ColorChoice = .auto

    enum FailOn: String, ExpressibleByArgument {
        case breaking
    }

    func validate() throws {
        if against == nil && specs.count != 2 { throw ValidationError("give OLD_SPEC NEW_SPEC, or one spec with --against GITREV") }
        if against != nil && !(1...2).contains(specs.count) { throw ValidationError("with --against, give one spec (or OLD_SPEC NEW_SPEC)") }
    }

    func run() throws {
        let sources = SourceFiles()
        let useColor = color.enabled
        let old: Pipeline
        let new: Pipeline
        if let rev = against {
            // One spec: its version at GITREV against the working tree. Two (a renamed or copied spec): OLD_SPEC
            // at GITREV against NEW_SPEC in the working tree.
            new = try CommandSupport.loadValid(specs[specs.count - 1], sources: sources, strict: false, color: useColor)
            old = try loadFromGit(specs[0], revision: rev, sources: sources, color: useColor)
        } else {
            old = try CommandSupport.loadValid(specs[0], sources: sources, strict: false, color: useColor)
            new = try CommandSupport.loadValid(specs[1], sources: sources, strict: false, color: useColor)
        }
        let result = SpecDiff.compare(old: old, new: new)
        switch format {
        case .text: Terminal.out(DiffRenderers.text(result).trimmingTrailingNewlines())
        case .markdown: Terminal.out(DiffRenderers.markdown(result).trimmingTrailingNewlines())
        case .json: Terminal.out(DiffRenderers.json(result).serialized())
        }
        if failOn == .breaking && result.hasBreaking { throw ExitStatus.failed.exitCode }
    }

    /// The spec at `path` as it was at `revision`, with its templates read from the same revision.
    private func loadFromGit(_ path: String, revision: String, sources: SourceFiles, color: Bool) throws -> Pipeline {
        guard let text = Git.show(revision: revision, path: path) else {
            Terminal.err("error: cannot read \(path) at git revision '\(revision)' (is this a git checkout, and did the file exist then?)")
            throw ExitStatus.usage.exitCode
        }
        let root = SpecLoader.projectRoot(forSpecAt: path)
        let loaded = SpecLoader.load(text: text, path: "\(path)@\(revision)", projectRoot: root, sources: sources,
                                     readFile: { p in Git.show(revision: revision, path: p) })
        if loaded.diagnostics.hasErrors || loaded.pipeline == nil {
            Terminal.err(DiagnosticRenderer(sources: sources, color: color).render(loaded.diagnostics.sorted()).trimmingTrailingNewlines())
            Terminal.err("error: the old version of \(path) (at \(revision)) does not validate")
            throw ExitStatus.failed.exitCode
        }
        return loaded.pipeline!
    }
}

/// The one git operation pipec needs: a file's contents at a revision.
enum Git {
    static func show(revision: String, path: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // `./path` makes git resolve the path relative to the current directory, not the repository root.
        let relative = path.hasPrefix("/") ? path : "./" + path
        process.arguments = ["git", "show", "\(revision):\(relative)"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
