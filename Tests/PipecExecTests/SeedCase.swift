import Foundation
import PipecTestSupport
import Testing

/// One of the five seed specs of `specs/` (with `templates/`) copied into a fresh directory and applied against
/// real servers; the results are read back with independent clients (curl, psql, boto3).
final class SeedCase: @unchecked Sendable {
    let root: String
    let environment: [String: String?]

    /// `edits` are literal replacements in the copied spec, for what a test must shorten (poll intervals).
    init(_ spec: String, environment: [String: String?], edits: [(String, String)] = []) throws {
        root = NSTemporaryDirectory() + "pipec-seed-\(spec)-" + UUID().uuidString.prefix(8).lowercased()
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/specs", withIntermediateDirectories: true)
        try fm.copyItem(atPath: PackagePaths.root.appendingPathComponent("templates").path, toPath: root + "/templates")
        var text = try String(contentsOf: PackagePaths.root.appendingPathComponent("specs/\(spec).yaml"), encoding: .utf8)
        for (from, to) in edits {
            guard text.contains(from) else { throw TestFailure("specs/\(spec).yaml has no '\(from)' to replace") }
            text = text.replacingOccurrences(of: from, with: to)
        }
        try text.write(toFile: root + "/specs/\(spec).yaml", atomically: true, encoding: .utf8)
        self.spec = spec
        self.environment = ["NO_COLOR": "1", "PIPEC_STATE": nil].merging(environment) { _, new in new }
    }

    let spec: String

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func apply(_ arguments: [String]) throws -> ChildProcess.Result {
        try ChildProcess(PackagePaths.binary.path, ["apply", root + "/specs/\(spec).yaml"] + arguments, environment: environment).wait(limit: 600)
    }

    func state(_ sql: String) throws -> String {
        let r = try ChildProcess.run("sqlite3", ["-batch", "-bail", "-noheader", "-separator", "|", root + "/.pipec/state.sqlite", sql])
        guard r.exitCode == 0 else { throw TestFailure("sqlite3 state failed: \(r.stderr)") }
        return r.stdout.trimmingCharacters(in: .newlines)
    }
}

/// S3 and Athena on moto, read with boto3 (Tests/Servers/aws_probe.py in moto's venv).
struct AWSProbe: Sendable {
    let moto: MotoServer

    var environment: [String: String?] {
        ["PIPEC_TEST_S3_ENDPOINT": moto.endpoint, "AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": moto.secretKey, "AWS_REGION": moto.region]
    }

    static let python: Result<String, Error> = Result {
        let r = try ChildProcess.run("bash", [PackagePaths.root.appendingPathComponent("scripts/services/moto.sh").path, "python"], limit: 600)
        let path = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.exitCode == 0, !path.isEmpty else { throw TestFailure("moto.sh python failed: \(r.output)") }
        return path
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let script = PackagePaths.root.appendingPathComponent("Tests/Servers/aws_probe.py").path
        let r = try ChildProcess.run(try Self.python.get(), [script] + arguments, environment: environment)
        guard r.exitCode == 0 else { throw TestFailure("aws_probe \(arguments.joined(separator: " ")) failed: \(r.output)") }
        return r.stdout
    }

    /// `key -> size` of every object under `prefix`.
    func list(_ bucket: String, _ prefix: String = "") throws -> [String: Int] {
        var out: [String: Int] = [:]
        for line in try run(["list", bucket, prefix]).split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2 { out[String(parts[0])] = Int(parts[1]) }
        }
        return out
    }

    func get(_ bucket: String, _ key: String) throws -> String { try run(["get", bucket, key]) }

    /// An object's bytes (binary: Parquet).
    func getBytes(_ bucket: String, _ key: String) throws -> Data {
        let file = NSTemporaryDirectory() + "pipec-get-" + UUID().uuidString
        defer { unlink(file) }
        let script = PackagePaths.root.appendingPathComponent("Tests/Servers/aws_probe.py").path
        let r = try ChildProcess.run("bash", ["-c", "\"$0\" \"$1\" get \"$2\" \"$3\" > \"$4\"", try Self.python.get(), script, bucket, key, file], environment: environment)
        guard r.exitCode == 0 else { throw TestFailure("aws_probe get \(bucket) \(key) failed: \(r.output)") }
        return try Data(contentsOf: URL(fileURLWithPath: file))
    }

    func put(_ bucket: String, _ key: String, _ text: String) throws {
        let file = NSTemporaryDirectory() + "pipec-put-" + UUID().uuidString
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        try run(["put", bucket, key, file])
    }

    struct AthenaQuery: Decodable { var query: String?; var database: String?; var state: String? }

    func athenaQueries(region: String) throws -> [AthenaQuery] {
        try JSONDecoder().decode([AthenaQuery].self, from: Data(try run(["athena-queries", region]).utf8))
    }
}
