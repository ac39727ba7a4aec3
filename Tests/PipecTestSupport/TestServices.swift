import Foundation

/// The servers integration tests talk to: the URL from an environment variable when the test script started the
/// server (`PIPEC_TEST_CLICKHOUSE_URL`, ...), otherwise the server of `scripts/services/NAME.sh start` (idempotent,
/// shared by concurrent callers), started once per test process. Tests never skip: the scripts install what they
/// need.
public enum TestServices {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var started: [String: Result<String, Error>] = [:]

    /// ClickHouse 18.16, the Debian server.
    public static func clickHouseURL() throws -> String { try url("clickhouse", variable: "PIPEC_TEST_CLICKHOUSE_URL") }
    /// A current ClickHouse (chdb) behind the HTTP front end in Tests/Servers.
    public static func modernClickHouseURL() throws -> String { try url("chdb", variable: "PIPEC_TEST_CHDB_URL") }
    /// moto_server (S3, Athena) with signature checking on.
    public static func moto() throws -> MotoServer {
        let process = ProcessInfo.processInfo.environment
        if let endpoint = process["PIPEC_TEST_S3_ENDPOINT"], !endpoint.isEmpty,
           let key = process["AWS_ACCESS_KEY_ID"], let secret = process["AWS_SECRET_ACCESS_KEY"] {
            return MotoServer(endpoint: endpoint, accessKey: key, secretKey: secret, region: process["AWS_REGION"] ?? "us-east-1")
        }
        let env = try url("moto", variable: "PIPEC_TEST_S3_ENDPOINT", command: "env")
        var values: [String: String] = [:]
        for line in env.split(separator: "\n") {
            var text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("export ") { text.removeFirst(7) }
            for assignment in text.split(separator: " ") {
                guard let eq = assignment.firstIndex(of: "=") else { continue }
                values[String(assignment[..<eq])] = String(assignment[assignment.index(after: eq)...]).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            }
        }
        let endpoint = values["PIPEC_TEST_S3_ENDPOINT"] ?? env
        guard let key = values["AWS_ACCESS_KEY_ID"] ?? process["AWS_ACCESS_KEY_ID"],
              let secret = values["AWS_SECRET_ACCESS_KEY"] ?? process["AWS_SECRET_ACCESS_KEY"] else {
            throw TestFailure("moto.sh env printed no access key: \(env)")
        }
        return MotoServer(endpoint: endpoint, accessKey: key, secretKey: secret, region: values["AWS_REGION"] ?? "us-east-1")
    }

    private static func url(_ service: String, variable: String, command: String = "start") throws -> String {
        try lock.withLock {
            let cacheKey = service + command
            if let cached = started[cacheKey] { return try cached.get() }
            let result = Result { () throws -> String in
                if command == "start", let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty { return url }
                let script = PackagePaths.root.appendingPathComponent("scripts/services/\(service).sh").path
                if command != "start" {
                    let up = try ChildProcess.run("bash", [script, "start"], limit: 600)
                    guard up.exitCode == 0 else { throw TestFailure("\(script) start failed (\(up.exitCode)): \(up.output)") }
                }
                let r = try ChildProcess.run("bash", [script, command], limit: 600)
                let out = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                guard r.exitCode == 0, !out.isEmpty else { throw TestFailure("\(script) \(command) failed (\(r.exitCode)): \(r.output)") }
                return out
            }
            started[cacheKey] = result
            return try result.get()
        }
    }
}

public struct MotoServer: Sendable {
    public var endpoint: String
    public var accessKey: String
    public var secretKey: String
    public var region: String
}
