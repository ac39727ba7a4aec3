import PipecTestSupport
import Foundation

/// The PostgreSQL the apply tests run against: `PIPEC_TEST_POSTGRES_URL` when set, otherwise the throwaway server
/// of `scripts/services/postgres.sh start` (idempotent, and it serializes concurrent callers), started once per test
/// process. Tests never skip: PostgreSQL 15 is installed wherever pipec's tests run.
enum TestPostgres {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: Result<String, Error>?

    static func serverURL() throws -> String {
        try lock.withLock {
            if let cached { return try cached.get() }
            let result = Result { try start() }
            cached = result
            return try result.get()
        }
    }

    private static func start() throws -> String {
        if let url = ProcessInfo.processInfo.environment["PIPEC_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        let script = ApplyCase.packageRoot.appendingPathComponent("scripts/services/postgres.sh").path
        let r = try ChildProcess.run("bash", [script, "start"])
        let url = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.exitCode == 0, url.hasPrefix("postgres") else { throw TestFailure("\(script) start failed (\(r.exitCode)): \(r.output)") }
        return url
    }

    /// `psql -X -At -v ON_ERROR_STOP=1` with one `-c` per statement; the rows as `a|b` lines.
    static func psql(_ url: String, _ statements: [String]) throws -> String {
        let r = try ChildProcess.run("psql", [url, "-X", "-At", "-v", "ON_ERROR_STOP=1"] + statements.flatMap { ["-c", $0] })
        guard r.exitCode == 0 else { throw TestFailure("psql failed (\(r.exitCode)): \(r.stderr)\n  in: \(statements.joined(separator: "; "))") }
        return r.stdout.trimmingCharacters(in: .newlines)
    }
}

/// A database of its own for one test, so tests run in parallel without sharing schemas; dropped afterwards.
final class TestDatabase: @unchecked Sendable {
    let name: String
    /// Its URL, for resources (`PIPEC_TEST_DSN`) and `--state`.
    let url: String
    private let serverURL: String

    init() throws {
        serverURL = try TestPostgres.serverURL()
        name = "pipec_apply_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        guard var parts = URLComponents(string: serverURL) else { throw TestFailure("unparsable PostgreSQL URL \(serverURL)") }
        parts.path = "/" + name
        guard let url = parts.string else { throw TestFailure("cannot build a URL for \(name)") }
        self.url = url
        _ = try TestPostgres.psql(serverURL, ["CREATE DATABASE \(name)"])
    }

    deinit {
        _ = try? TestPostgres.psql(serverURL, ["DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
    }

    /// Runs statements in this database with psql.
    func psql(_ statements: String...) throws -> String {
        try TestPostgres.psql(url, statements)
    }
}
