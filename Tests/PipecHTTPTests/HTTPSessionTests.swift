import Foundation
import PipecHTTP
import PipecIO
import PipecTestSupport
import Testing

/// The libcurl wrapper against a local server (the AppMetrica stand-in): statuses and headers before the body, a
/// body pulled in pieces, cancellation, timeouts, and a refused connection.
@Suite struct HTTPSessionTests {
    let api: AppMetricaServer
    init() throws { api = try AppMetricaServer(arguments: ["--prepare-polls", "1", "--rows", "3000"]) }

    func report(_ hour: String) -> HTTPRequest {
        let query = URLEncoding.query([("application_id", "1"), ("date_since", "2022-02-01 \(hour):00:00"), ("date_until", "2022-02-01 \(hour):59:59"),
                                       ("date_dimension", "default"), ("fields", "event_name,event_datetime")])
        return HTTPRequest(url: api.url + "/logs/v1/export/events.csv?" + query, headers: [("Authorization", "OAuth test-token")])
    }

    @Test func headersComeBeforeTheBodyWhichIsPulledInPieces() throws {
        let first = HTTPBodyStream(session: try HTTPSession(), request: report("05"))
        #expect(try first.head().status == 202, "the report is being prepared")
        first.close()

        let stream = HTTPBodyStream(session: try HTTPSession(), request: report("05"))
        let head = try stream.head()
        #expect(head.status == 200)
        #expect(head.header("rows-number") == "3000", "headers match case-insensitively")
        var source = HTTPBodySource(stream)
        var bytes: [UInt8] = []
        var reads = 0
        while true {
            let piece = try source.read(maxCount: 4096)
            if piece.isEmpty { break }
            #expect(piece.count <= 4096)
            bytes += piece
            reads += 1
        }
        #expect(reads > 1)
        var reader = CSVReader(MemorySource(bytes), format: .csv)
        var records = 0
        while try reader.next() != nil { records += 1 }
        #expect(records == 3000, "3,000 rows after the header, quoted newlines and all")
    }

    @Test func aHangingServerIsCancelledAndTimedOut() throws {
        try api.fail(#"{"hang_seconds": 5, "count": 2}"#)
        let start = Date()
        #expect(throws: HTTPError.self) {
            try HTTPSession().send(report("06"), shouldCancel: { Date().timeIntervalSince(start) > 0.3 })
        }
        #expect(Date().timeIntervalSince(start) < 3, "cancelled well before the server answered")

        var limited = report("06")
        limited.timeoutMilliseconds = 300
        do {
            _ = try HTTPSession().send(limited)
            Issue.record("a 5 s hang answered within 300 ms")
        } catch let e as HTTPError {
            #expect(e.isTransient, "a timeout is worth retrying: \(e)")
        }
    }

    @Test func aRefusedConnectionIsUnreachable() throws {
        do {
            _ = try HTTPSession().send(HTTPRequest(url: "http://127.0.0.1:9/nothing", connectTimeoutMilliseconds: 2000))
            Issue.record("port 9 answered")
        } catch let e as HTTPError {
            #expect(e.isUnreachable, "\(e)")
        }
    }

    @Test func streamedUploadsAndWholeBodiesBothArrive() throws {
        let record = NSTemporaryDirectory() + "pipec-http-\(UUID().uuidString).jsonl"
        defer { unlink(record) }
        let server = try ChildProcess("python3", [PackagePaths.root.appendingPathComponent("Tests/Servers/recording_http.py").path, record])
        defer { server.killHard() }
        #expect(server.waitForOutput(containing: "\n", limit: 30))
        let url = "http://127.0.0.1:\(server.stdoutSoFar.trimmingCharacters(in: .whitespacesAndNewlines))/up"
        let body = Array(String(repeating: "0123456789", count: 50_000).utf8)
        var offset = 0
        let response = try HTTPSession().send(HTTPRequest(method: "PUT", url: url), body: .stream(length: Int64(body.count)) {
            guard offset < body.count else { return nil }
            let piece = Array(body[offset..<min(body.count, offset + 65_536)])
            offset += piece.count
            return piece
        })
        #expect(response.status == 200)
        _ = try HTTPSession().send(HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")]), body: .bytes(Array(#"{"a": 1}"#.utf8)))
        let lines = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n")
        let posts = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(posts.count == 2)
        #expect((posts.first?["body"] as? String)?.utf8.count == body.count)
        #expect(posts.first?["method"] as? String == "PUT")
        #expect(posts.last?["body"] as? String == #"{"a": 1}"#)
        #expect((posts.last?["headers"] as? [String: String])?["Content-Type"] == "application/json")
    }
}
