import PipecTestSupport
import Foundation

/// The PostgreSQL the tests run against: `PIPEC_TEST_POSTGRES_URL` when set, otherwise the throwaway server of
/// `scripts/services/postgres.sh start`, started once per test process (the script itself is idempotent and
/// serializes concurrent callers, so parallel test processes share one server). Tests never skip: PostgreSQL
/// is installed wherever pipec's tests run.
enum PostgresTestServer {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: Result<String, Error>?

    static func url() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return try cached.get() }
        let result = Result { try resolve() }
        cached = result
        return try result.get()
    }

    private static func resolve() throws -> String {
        if let url = ProcessInfo.processInfo.environment["PIPEC_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        let script = try scriptPath()
        let output = try ProcessRunner.run("bash", [script, "start"])
        guard output.status == 0 else {
            throw TestSetupError(message: "\(script) start failed (\(output.status)): \(output.stderr)")
        }
        let url = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard url.hasPrefix("postgres") else { throw TestSetupError(message: "unexpected output from \(script): \(url)") }
        return url
    }

    /// `scripts/services/postgres.sh`, found by walking up from this source file (symlinks resolved).
    private static func scriptPath() throws -> String {
        var dir = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("scripts/services/postgres.sh").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw TestSetupError(message: "scripts/services/postgres.sh not found above \(#filePath)")
    }

    /// The parts of the URL, for building key/value conninfo strings and wrong-password URLs.
    static func components() throws -> URLComponents {
        guard let parts = URLComponents(string: try url()) else { throw TestSetupError(message: "unparsable test URL") }
        return parts
    }

    /// A table name no other test uses.
    static func uniqueName(_ prefix: String) -> String {
        prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// `psql`: an independent client for checking what pipec wrote.
enum PSQL {
    /// Runs `command` (SQL or a backslash command) with `psql -X -At -v ON_ERROR_STOP=1` and returns stdout
    /// without the trailing newline.
    static func run(_ command: String) throws -> String {
        let output = try ProcessRunner.run("psql", [try PostgresTestServer.url(), "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", command])
        guard output.status == 0 else { throw TestSetupError(message: "psql failed (\(output.status)): \(output.stderr)") }
        var text = output.stdout
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
