import Foundation
import PipecTestSupport
import Testing

/// Runs the real `pipec` binary, as a user would, and captures what it prints.
enum CLIHarness {
    struct Result {
        var exitCode: Int32
        var stdout: String
        var stderr: String

        /// The form golden files store: the exit code, then stdout, then stderr.
        var transcript: String {
            var t = "exit: \(exitCode)\n"
            if !stdout.isEmpty { t += "--- stdout\n" + stdout + (stdout.hasSuffix("\n") ? "" : "\n") }
            if !stderr.isEmpty { t += "--- stderr\n" + stderr + (stderr.hasSuffix("\n") ? "" : "\n") }
            return t
        }
    }

    /// The package root (for fixtures) and the built binary: see PackagePaths.
    static var packageRoot: URL { PackagePaths.root }
    static var binary: URL { PackagePaths.binary }

    /// Runs pipec in `directory`. Output goes to files through `ChildProcess`, so however much the command prints
    /// on either stream it cannot block on a full pipe, and a hanging command fails its test after the bound.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Result {
        var env: [String: String?] = ["NO_COLOR": "1", "COLUMNS": "100"]
        for (k, v) in environment { env[k] = v }
        let done = try ChildProcess.run(binary.path, arguments, environment: env, directory: directory.path, limit: 300)
        return Result(exitCode: done.exitCode, stdout: done.stdout, stderr: done.stderr)
    }

    /// Compares `actual` with the golden file, or writes it when PIPEC_RECORD is set or the file is missing
    /// (failing in that case, so a recording is always reviewed).
    static func assertGolden(_ actual: String, file golden: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let record = ProcessInfo.processInfo.environment["PIPEC_RECORD"] != nil
        if record || !FileManager.default.fileExists(atPath: golden.path) {
            try actual.write(to: golden, atomically: true, encoding: .utf8)
            Issue.record("recorded \(golden.path); review it and run again", sourceLocation: sourceLocation)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        if expected != actual {
            Issue.record("output differs from \(golden.lastPathComponent):\n\(lineDiff(expected, actual))", sourceLocation: sourceLocation)
        }
    }

    /// A small line diff for failure messages.
    static func lineDiff(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(e.count, a.count) {
            let l = i < e.count ? String(e[i]) : nil, r = i < a.count ? String(a[i]) : nil
            if l != r {
                if let l { out.append("- \(l)") }
                if let r { out.append("+ \(r)") }
            }
        }
        return out.prefix(40).joined(separator: "\n")
    }
}
