import PipecTestSupport
import Foundation
import Testing

/// Alerts (`on_retry`, `on_failure`) and notify tasks reach a webhook as Slack-compatible JSON — checked against a
/// local server that records what it receives (Tests/Servers/recording_http.py).
@Suite struct AlertTests {
    @Test func webhookGetsRetryFailureAndNotifyMessages() throws {
        let record = NSTemporaryDirectory() + "pipec-hook-\(UUID().uuidString).jsonl"
        defer { unlink(record) }
        let script = ApplyCase.packageRoot.appendingPathComponent("Tests/Servers/recording_http.py").path
        let server = try ChildProcess("python3", [script, record])
        defer { server.killHard() }
        #expect(server.waitForOutput(containing: "\n", limit: 30))
        let port = server.stdoutSoFar.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(Int(port) != nil, "the recording server printed no port: \(server.stdoutSoFar)")

        let run = try ApplyCase("alerts", environment: ["HOOK_URL": "http://127.0.0.1:\(port)/hook"])
        let result = try run.apply("spec.yaml", ["--ds", "2025-01-01"])
        #expect(result.exitCode == 1, "the broken task fails the apply")

        let lines = ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n")
        let posts = lines.compactMap { line -> [String: Any]? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
        let texts = posts.compactMap { post -> String? in
            guard let body = post["body"] as? String, let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return nil }
            return json["text"] as? String
        }
        #expect(posts.allSatisfy { $0["method"] as? String == "POST" && $0["path"] as? String == "/hook" })
        #expect(texts.contains { $0.contains("alerts 2025-01-01: things are ready") }, "\(texts)")
        #expect(texts.contains { $0.contains("broken failed (try 1) and will retry") }, "\(texts)")
        #expect(texts.contains { $0.contains("broken failed:") && $0.contains("no such table") }, "\(texts)")
        #expect(texts.allSatisfy { !$0.contains("HOOK_URL") })
    }
}
