import Foundation
import PipecTestSupport
import Testing

/// Secrets are never stored or sent (issue 18, point 1): every command runs on `Tests/Fixtures/apply/leaks`, whose
/// secrets sit in every place a spec can hold one, against loopback servers that echo what they receive; then
/// stdout, stderr, every file under the project, the state store's dump and every alert body are searched for every
/// secret value.
@Suite struct LeakTests {
    static let secrets: [String: String] = [
        "LEAK_URL_PW": "url-Secret-p4ss",
        "LEAK_BEARER": "bearer-Secret-7a6b5c",
        "LEAK_API_KEY": "apikey-Secret-1234",
        "LEAK_HOOK_TOKEN": "hook-Secret-T0K3N",
        "LEAK_QUERY_TOKEN": "query-Secret-s1g",
        "LEAK_SMTP_PW": "smtp-Secret-mail",
        "LEAK_REQUEST_TOKEN": "request-Secret-42",
    ]
    /// Written literally in the spec (W701).
    static let literal = "literal-Secret-9f8e7d"

    /// Every form a secret must not appear in: itself, its first ten characters (an echo shortened in the middle of
    /// it), and the base64 of `user:password` HTTP basic auth sends.
    static var needles: [(String, String)] {
        var out = secrets.map { ($0.key, $0.value) } + [("the literal header", literal)]
        out += out.map { ("the start of \($0.0)", String($0.1.prefix(10))) }
        out.append(("basic auth of the URL", Data("leaker:\(secrets["LEAK_URL_PW"]!)".utf8).base64EncodedString()))
        return out
    }

    @Test func noCommandStoresOrSendsASecret() throws {
        let echoRecord = NSTemporaryDirectory() + "pipec-echo-\(UUID().uuidString).jsonl"
        let mails = NSTemporaryDirectory() + "pipec-mail-\(UUID().uuidString).jsonl"
        defer { unlink(echoRecord); unlink(mails) }
        let echo = try ChildProcess("python3", [ApplyCase.packageRoot.appendingPathComponent("Tests/Servers/recording_http.py").path, echoRecord])
        defer { echo.killHard() }
        let sink = try ChildProcess("python3", [ApplyCase.packageRoot.appendingPathComponent("Tests/Servers/smtp_sink.py").path,
                                                "--port", "0", "--out", mails])
        defer { sink.killHard() }
        #expect(echo.waitForOutput(containing: "\n", limit: 30) && sink.waitForOutput(containing: "\n", limit: 30))
        let echoPort = echo.stdoutSoFar.trimmingCharacters(in: .whitespacesAndNewlines)
        let smtpPort = sink.stdoutSoFar.trimmingCharacters(in: .whitespacesAndNewlines)

        let c = try ApplyCase("leaks", environment: Self.secrets.merging(["ECHO_PORT": echoPort, "SMTP_PORT": smtpPort]) { a, _ in a })
        let spec = c.path("spec.yaml")
        var printed: [(String, String)] = []
        func run(_ arguments: [String]) throws -> ChildProcess.Result {
            let r = try c.pipec(arguments)
            printed.append(("pipec " + arguments.joined(separator: " "), r.output))
            return r
        }
        for arguments in [["validate", spec], ["validate", "--format", "json", spec], ["compile", spec, "--ds", "2025-01-01", "--resolve"],
                          ["compile", spec, "--ds", "2025-01-01", "--resolve", "--format", "json"], ["render", spec, "fetch", "--resolve"],
                          ["lineage", spec], ["lineage", spec, "--format", "json"], ["diff", spec, spec], ["plan", spec, "--ds", "2025-01-01"]] {
            _ = try run(arguments)
        }
        let apply = try run(["apply", spec, "--ds", "2025-01-01"])
        // The failures this test is about did happen.
        #expect(apply.exitCode == 1, "\(apply.transcript)")
        #expect(apply.output.contains("answered HTTP 403") && apply.output.contains("alert to broken_hook failed")
                && apply.output.contains("alert to broken_mail failed"), "\(apply.transcript)")
        _ = try run(["runs", spec])
        _ = try run(["runs", spec, "--format", "json"])
        printed.append(("the state store's dump", try ChildProcess.run("sqlite3", [c.path(".pipec/state.sqlite"), ".dump"]).stdout))

        // Every file under the project pipec wrote, as bytes (the SQLite files too); the spec is the user's own.
        let files = FileManager.default.enumerator(atPath: c.root)?.compactMap { $0 as? String } ?? []
        for file in files where file != "spec.yaml" {
            guard let data = FileManager.default.contents(atPath: c.path(file)) else { continue }
            printed.append((file, String(decoding: data, as: UTF8.self)))
        }
        // What the servers were sent as alerts: the webhook bodies and the mails (subjects decoded).
        let posts = ((try? String(contentsOfFile: echoRecord, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        let alerts = posts.filter { ($0["path"] as? String)?.hasPrefix("/hooks/") ?? false }.compactMap { $0["body"] as? String }
        #expect(alerts.count == 2, "one alert to each webhook: \(posts)")
        for body in alerts { printed.append(("a webhook alert", body)) }
        let messages = ((try? String(contentsOfFile: mails, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(messages.count == 1, "one alert mail")
        for message in messages { printed.append(("an alert mail", Self.decodingSubjects(message["data"] as? String ?? ""))) }

        for (place, text) in printed {
            for (name, value) in Self.needles {
                #expect(!text.contains(value), "\(place) holds \(name):\n\(text.prefix(4000))")
            }
        }
    }

    /// `=?UTF-8?B?...?=` encoded words decoded, so a secret in a mail's subject is found.
    static func decodingSubjects(_ data: String) -> String {
        var out = data
        while let start = out.range(of: "=?UTF-8?B?"), let end = out.range(of: "?=", range: start.upperBound..<out.endIndex) {
            let encoded = String(out[start.upperBound..<end.lowerBound])
            let decoded = Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } ?? encoded
            out.replaceSubrange(start.lowerBound..<end.upperBound, with: decoded)
        }
        return out
    }

    /// `--state postgres://user:password@...`: the password never reaches a state row, though the command line that
    /// names it is recorded.
    @Test func aStateURLPasswordIsNeverStored() throws {
        let db = try TestDatabase()
        let role = "pipec_leak_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
        let password = "state-Secret-pw-31"
        _ = try db.psql("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'", "GRANT ALL ON SCHEMA public TO \(role)",
                        "GRANT CREATE ON DATABASE \(db.name) TO \(role)")
        defer { _ = try? db.psql("DROP OWNED BY \(role)", "DROP ROLE IF EXISTS \(role)") }
        guard var parts = URLComponents(string: db.url) else { throw TestFailure("unparsable \(db.url)") }
        parts.user = role
        parts.password = password
        let state = parts.string!
        let c = try ApplyCase("retries")
        let r = try c.apply("sqlite.yaml", ["--ds", "2025-01-01", "--state", state])
        #expect(r.exitCode == 0, "\(r.transcript)")
        #expect(!r.output.contains(password), "\(r.transcript)")
        let rows = try db.psql("SELECT command FROM pipec_applies")
        #expect(rows.contains("--state") && !rows.contains(password), "\(rows)")
        let dump = try ChildProcess.run("pg_dump", ["--data-only", db.url]).stdout
        #expect(!dump.isEmpty && !dump.contains(password))
    }
}
