import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Child processes for the service benchmarks: the baselines (`clickhouse-client`, `curl`) and pipec itself run in
/// a child of its own (`pipec-bench __apply`) so that its peak memory is measured alone. posix_spawn + waitpid (not
/// Foundation's `Process`, whose run-loop based wait adds latency and was seen to hang).
///
/// Peak memory of a child is NOT wait4's ru_maxrss: glibc's posix_spawn runs the child on the parent's memory
/// (CLONE_VM|CLONE_VFORK) until exec, and Linux carries the old memory's high-water mark into the child's maxrss at
/// exec, so every child would report at least this process's own peak. `measureRSS` runs the command under GNU
/// time (`/usr/bin/time -f %M`), which forks, so its child's figure starts from time's few MiB; pipec's child
/// reports its own VmHWM instead.
enum BenchProcess {
    struct Result {
        var status: Int32
        var seconds: Double
        /// Peak resident set size in KiB of the command (or the largest of its descendants) when measured
        /// (`measureRSS` and GNU time present), else 0.
        var maxRSSKiB: Int
        var stdout: String
        var stderr: String

        var succeeded: Bool { status == 0 }
        var maxRSSMiB: Double { Double(maxRSSKiB) / 1024 }

        /// What went wrong, for a message: the exit code or signal, and the tail of stderr.
        var failure: String {
            let how = status & 0x7f == 0 ? "exit code \((status >> 8) & 0xff)" : "signal \(status & 0x7f)"
            let tail = stderr.trimmingCharacters(in: .whitespacesAndNewlines).suffix(2000)
            return "\(how)\(tail.isEmpty ? "" : ": \(tail)")"
        }
    }

    /// Runs `arguments` (looked up on PATH unless the first contains a slash) with stdin from `stdin` (a file,
    /// else /dev/null) and stdout/stderr captured (stdout to `stdoutPath` instead when given, and then not read
    /// back). `environment` replaces the inherited one when given.
    static func run(_ arguments: [String], stdin: String? = nil, stdoutPath: String? = nil,
                    environment: [String: String]? = nil, measureRSS: Bool = false) throws -> Result {
        let scratch = NSTemporaryDirectory() + "pipec-bench-proc-\(getpid())-\(UUID().uuidString)"
        let outPath = stdoutPath ?? scratch + ".out"
        let errPath = scratch + ".err"
        let rssPath = scratch + ".rss"
        defer {
            if stdoutPath == nil { unlink(outPath) }
            unlink(errPath)
            unlink(rssPath)
        }
        let timed = measureRSS && access(gnuTime, X_OK) == 0
        let arguments = timed ? [gnuTime, "-f", "%M", "-o", rssPath, "--"] + arguments : arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { env in env.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { for entry in envp ?? [] { free(entry) } }
        var pid = pid_t()
        let start = DispatchTime.now().uptimeNanoseconds
        let spawned: Int32
        if let envp {
            spawned = envp.withUnsafeBufferPointer { posix_spawnp(&pid, arguments[0], &actions, nil, argv, $0.baseAddress) }
        } else {
            spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        }
        guard spawned == 0 else { throw BenchError("cannot run \(arguments[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw BenchError("waitpid failed for \(arguments[0])") }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let out = stdoutPath == nil ? (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" : ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        // GNU time writes "Command exited with non-zero status N" before the figure when the command failed.
        let rss = timed ? ((try? String(contentsOfFile: rssPath, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int($0) }.last ?? 0 : 0
        return Result(status: status, seconds: seconds, maxRSSKiB: rss, stdout: out, stderr: err)
    }

    static let gnuTime = "/usr/bin/time"

    /// Like `run`, but a failure (non-zero exit) throws, naming `what`.
    @discardableResult
    static func check(_ what: String, _ arguments: [String], stdin: String? = nil, stdoutPath: String? = nil,
                      environment: [String: String]? = nil, measureRSS: Bool = false) throws -> Result {
        let result = try run(arguments, stdin: stdin, stdoutPath: stdoutPath, environment: environment, measureRSS: measureRSS)
        guard result.succeeded else { throw BenchError("\(what) failed (\(result.failure))") }
        return result
    }

    /// This executable's path, for re-running it as a child.
    static var selfPath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// `MemAvailable` from /proc/meminfo in bytes; nil where it cannot be read.
    static func memoryAvailable() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kilobytes * 1024
    }

    /// Lines and bytes of a file, read in 4 MiB pieces (a 1 GB file in constant memory).
    static func countLines(_ path: String) throws -> (lines: Int, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BenchError("cannot open \(path)") }
        defer { try? handle.close() }
        var lines = 0
        var bytes = 0
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            bytes += chunk.count
            chunk.withUnsafeBytes { buffer in
                for byte in buffer where byte == UInt8(ascii: "\n") { lines += 1 }
            }
        }
        return (lines, bytes)
    }

    /// The first line of a file (without its newline).
    static func firstLine(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        return String(decoding: head.prefix(while: { $0 != UInt8(ascii: "\n") }), as: UTF8.self)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Wall time of `body` in seconds.
func benchTimed(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func benchMedian(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
