/// Helpers shared by the test targets that run external programs (psql, sqlite3, scripts/services).
import Foundation

public struct ProcessOutput: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum ProcessRunner {
    /// Runs `executable` (looked up on PATH) with `arguments`, waits, and returns its exit status and output: a
    /// `ChildProcess` run to completion, with a bound long enough for a service script's first start (a pip install).
    public static func run(_ executable: String, _ arguments: [String]) throws -> ProcessOutput {
        let result = try ChildProcess.run(executable, arguments, limit: 900)
        return ProcessOutput(status: result.exitCode, stdout: result.stdout, stderr: result.stderr)
    }
}

/// A flag one thread raises and another polls.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    public init() {}

    public func raise() { lock.lock(); raised = true; lock.unlock() }
    public var isRaised: Bool { lock.lock(); defer { lock.unlock() }; return raised }
}

/// This process's resident set size now, in MiB (VmRSS in /proc/self/status).
public func residentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes / 1024
}
