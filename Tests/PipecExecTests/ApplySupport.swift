import Foundation
import PipecTestSupport
import Testing

/// One case of `Tests/Fixtures/apply/<name>` copied into a fresh temporary directory, so runs never share state:
/// the SQLite resources, `.pipec/state.sqlite` and the pipeline lock all live inside the copy. Runs the real
/// `pipec` binary on it and reads what it wrote with the `sqlite3` CLI, an independent client.
final class ApplyCase: @unchecked Sendable {
    let root: String
    /// Added to the test process's environment for every `pipec` run (nil removes a variable).
    let environment: [String: String?]

    init(_ name: String, environment: [String: String?] = [:]) throws {
        let source = ApplyCase.packageRoot.appendingPathComponent("Tests/Fixtures/apply/\(name)").path
        root = NSTemporaryDirectory() + "pipec-apply-\(name)-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.copyItem(atPath: source, toPath: root)
        // The project root is the nearest folder holding templates/: it must be this copy, not something above it.
        try FileManager.default.createDirectory(atPath: root + "/templates", withIntermediateDirectories: true)
        self.environment = ["NO_COLOR": "1", "PIPEC_STATE": nil].merging(environment) { _, new in new }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// `pipec ARGUMENTS`, to completion (specs are given by absolute path, so the working directory does not matter).
    @discardableResult
    func pipec(_ arguments: [String]) throws -> ChildProcess.Result {
        try start(arguments).wait()
    }

    /// `pipec apply SPEC ARGUMENTS`.
    @discardableResult
    func apply(_ spec: String, _ arguments: [String] = []) throws -> ChildProcess.Result {
        try pipec(["apply", path(spec)] + arguments)
    }

    /// Starts `pipec ARGUMENTS` in the background.
    func start(_ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(ApplyCase.binary.path, arguments, environment: environment)
    }

    /// Runs SQL with the sqlite3 CLI on a database of the copy; rows as `a|b` lines.
    func sqlite(_ sql: String, database: String = "warehouse.sqlite") throws -> String {
        let r = try ChildProcess.run("sqlite3", ["-batch", "-bail", "-noheader", "-separator", "|", path(database), sql])
        guard r.exitCode == 0 else { throw TestFailure("sqlite3 \(database) failed (\(r.exitCode)): \(r.stderr)\n  in: \(sql)") }
        return r.stdout.trimmingCharacters(in: .newlines)
    }

    /// Runs SQL on the case's default state store (`.pipec/state.sqlite`).
    func state(_ sql: String) throws -> String {
        try sqlite(sql, database: ".pipec/state.sqlite")
    }

    /// The package root (for fixtures) and the built binary: see PackagePaths.
    static var packageRoot: URL { PackagePaths.root }
    static var binary: URL { PackagePaths.binary }
}

extension ChildProcess.Result {
    /// For failure messages: how the process ended and everything it printed.
    var transcript: String {
        "exit \(exitCode)\(signal.map { " (signal \($0))" } ?? "")\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }
}

/// FNV-1a over a table dump: a checksum that is the same in every process (Swift's `Hasher` is seeded per process).
func fnv1a(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
    }
    return String(hash, radix: 16)
}
