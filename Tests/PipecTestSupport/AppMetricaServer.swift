import Foundation

/// The AppMetrica Logs API stand-in (Tests/Servers/appmetrica_api.py) on a free port, for one test.
public final class AppMetricaServer: @unchecked Sendable {
    public let process: ChildProcess
    public let url: String
    public let stateDir: String

    public init(arguments: [String] = []) throws {
        stateDir = NSTemporaryDirectory() + "pipec-appmetrica-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        let script = PackagePaths.root.appendingPathComponent("Tests/Servers/appmetrica_api.py").path
        process = try ChildProcess("python3", [script, "--port", "0", "--state-dir", stateDir] + arguments)
        guard process.waitForOutput(containing: "\n", limit: 30),
              let port = Int(process.stdoutSoFar.split(separator: "\n").first?.trimmingCharacters(in: .whitespaces) ?? "") else {
            throw TestFailure("the AppMetrica stand-in printed no port: \(process.stdoutSoFar)")
        }
        url = "http://127.0.0.1:\(port)"
    }

    deinit {
        process.killHard()
        try? FileManager.default.removeItem(atPath: stateDir)
    }

    /// curl against the server; the response body.
    @discardableResult
    public func curl(_ arguments: [String]) throws -> String {
        let r = try ChildProcess.run("curl", ["-sS"] + arguments)
        guard r.exitCode == 0 else { throw TestFailure("curl \(arguments.joined(separator: " ")) failed: \(r.output)") }
        return r.stdout
    }

    /// Queues failures (`{"status": 503, "count": 2}`).
    public func fail(_ json: String) throws {
        try curl(["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", json, url + "/_control/fail"])
    }

    /// The rows the API reports for `report` over one hour (its `Rows-Number`), asked as the spec asks.
    public func rows(report: String, fields: String, hourStart: String, hourEnd: String, token: String = "test-token") throws -> Int {
        for _ in 0..<10 {
            let out = try curl(["-G", "-o", "/dev/null", "-D", "-", "-H", "Authorization: OAuth \(token)",
                                "--data-urlencode", "application_id=12345", "--data-urlencode", "date_since=\(hourStart)",
                                "--data-urlencode", "date_until=\(hourEnd)", "--data-urlencode", "date_dimension=default",
                                "--data-urlencode", "fields=\(fields)", url + "/logs/v1/export/\(report).csv"])
            if let line = out.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("rows-number:") }) {
                return Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? -1
            }
        }
        throw TestFailure("the stand-in never answered 200 for \(report) \(hourStart)")
    }

    /// The webhook bodies (Slack's `{"text": ...}`) received so far.
    public func webhookTexts() throws -> [String] {
        let data = Data(try curl([url + "/_control/webhooks"]).utf8)
        let items = (try JSONSerialization.jsonObject(with: data) as? [Any]) ?? []
        return items.compactMap { item -> String? in
            if let dict = item as? [String: Any] {
                if let json = dict["json"] as? [String: Any] { return json["text"] as? String }
                if let body = dict["body"] as? String,
                   let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] { return json["text"] as? String }
            }
            return nil
        }
    }
}
