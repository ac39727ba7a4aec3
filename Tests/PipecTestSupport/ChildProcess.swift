import Foundation

/// A process the tests start: `pipec`, `sqlite3`, `psql`, `bash`. Output goes to files (no pipe can fill up or be
/// held open by a grandchild such as the PostgreSQL server), and waiting polls `waitpid` with a generous bound, so a
/// hanging child fails its test instead of hanging the suite.
public final class ChildProcess: @unchecked Sendable {
    public struct Result {
        public var exitCode: Int32
        /// The signal that ended the process, if one did (SIGKILL in the kill tests).
        public var signal: Int32?
        public var stdout: String
        public var stderr: String
        public var output: String { stdout + stderr }
    }

    public let pid: pid_t
    public let command: String
    private let outPath: String
    private let errPath: String
    private let lock = NSLock()
    private var finished: Result?

    /// Starts `executable` (looked up on PATH unless it is a path) with the test process's environment plus
    /// `environment` (a nil value removes a variable), in `directory` when given (through coreutils' `env -C`, which
    /// then execs the program: the pid stays the program's).
    public init(_ executable: String, _ arguments: [String], environment: [String: String?] = [:], directory: String? = nil) throws {
        let base = NSTemporaryDirectory() + "pipec-exec-test-" + UUID().uuidString
        outPath = base + ".out"
        errPath = base + ".err"
        command = ([executable] + arguments).joined(separator: " ")
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let program = directory == nil ? executable : "/usr/bin/env"
        let words = directory.map { ["/usr/bin/env", "-C", $0, "--", executable] + arguments } ?? [executable] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var child = pid_t()
        let status = posix_spawnp(&child, program, &actions, nil, argv, envp)
        guard status == 0 else { throw TestFailure("cannot run \(executable): \(String(cString: strerror(status)))") }
        pid = child
    }

    deinit {
        if finished == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        unlink(outPath)
        unlink(errPath)
    }

    /// Runs a command to completion.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String?] = [:], directory: String? = nil,
                           limit: TimeInterval = 120) throws -> Result {
        try ChildProcess(executable, arguments, environment: environment, directory: directory).wait(limit: limit)
    }

    /// What the process has written to stdout so far.
    public var stdoutSoFar: String { Self.text(outPath) }

    /// A file's bytes as text, invalid UTF-8 replaced (so output that is not UTF-8 still shows, instead of nothing).
    private static func text(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Waits for the process to end; after `limit` seconds it is killed and the wait fails (a safety bound, not a
    /// measurement).
    @discardableResult
    public func wait(limit: TimeInterval = 120) throws -> Result {
        let deadline = Date(timeIntervalSinceNow: limit)
        while true {
            if let done = try poll() { return done }
            if Date() > deadline {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                _ = waitpid(pid, &status, 0)
                lock.withLock { finished = Result(exitCode: -1, signal: SIGKILL, stdout: "", stderr: "") }
                throw TestFailure("\(command) did not finish within \(Int(limit))s; killed it. Output so far:\n\(stdoutSoFar)")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// Reaps the process if it has ended: its result, or nil while it runs.
    private func poll() throws -> Result? {
        try lock.withLock {
            if let finished { return finished }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == 0 || (r < 0 && errno == EINTR) { return nil }
            guard r == pid else { throw TestFailure("waitpid failed for \(command)") }
            let signalled = (status & 0x7f) != 0
            let result = Result(exitCode: signalled ? 128 + (status & 0x7f) : (status >> 8) & 0xff, signal: signalled ? status & 0x7f : nil,
                                stdout: Self.text(outPath), stderr: Self.text(errPath))
            finished = result
            return result
        }
    }

    /// Polls stdout until it contains `text` or the process ends; true when the text appeared.
    public func waitForOutput(containing text: String, limit: TimeInterval = 60) -> Bool {
        let deadline = Date(timeIntervalSinceNow: limit)
        while Date() < deadline {
            if stdoutSoFar.contains(text) { return true }
            if hasExited { return stdoutSoFar.contains(text) }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    /// Whether the process has ended.
    public var hasExited: Bool { ((try? poll()) ?? nil) != nil }

    /// SIGKILL: no handler runs, nothing is flushed or rolled back by the process itself.
    public func killHard() {
        lock.withLock { if finished == nil { kill(pid, SIGKILL) } }
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
