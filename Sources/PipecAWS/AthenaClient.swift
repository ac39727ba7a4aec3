import Foundation
import PipecHTTP

/// Athena's JSON API (`AmazonAthena.*` actions over SigV4): start a query, wait for it, read its results, stop it.
public final class AthenaClient: @unchecked Sendable {
    public struct Config: Sendable {
        public var region: String
        /// `https://athena.REGION.amazonaws.com` unless overridden (moto in tests).
        public var endpoint: String
        public var database: String?
        /// `s3://bucket/prefix/` where Athena writes results.
        public var outputLocation: String
        public var workgroup: String?
        public var credentials: AWSCredentials?

        public init(region: String, endpoint: String? = nil, database: String? = nil, outputLocation: String, workgroup: String? = nil,
                    credentials: AWSCredentials? = nil) {
            self.region = region
            var e = endpoint.flatMap { $0.isEmpty ? nil : $0 } ?? "https://athena.\(region).amazonaws.com"
            while e.hasSuffix("/") { e.removeLast() }
            self.endpoint = e
            self.database = database
            self.outputLocation = outputLocation
            self.workgroup = workgroup
            self.credentials = credentials
        }
    }

    /// A query's final state.
    public struct Execution: Sendable {
        public var id: String
        public var state: String
        public var reason: String?
        /// The SQL and database as Athena recorded them.
        public var query: String? = nil
        public var database: String? = nil
    }

    public let config: Config
    private let session: HTTPSession
    private let lock = NSLock()

    public init(_ config: Config) throws {
        self.config = config
        session = try HTTPSession()
    }

    /// One API call: a JSON object in, a JSON object out; Athena's error (`__type`, `message`) becomes an `AthenaError`.
    func call(_ action: String, _ payload: [String: Any]) throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let bytes = Array(body)
        let request = SignedRequest.make(method: "POST", base: config.endpoint, path: "/", query: [],
                                         headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AmazonAthena.\(action)")],
                                         payloadHash: SignedRequest.payloadHash(bytes), service: "athena", region: config.region,
                                         credentials: config.credentials, timeoutMilliseconds: 60_000)
        let response = try lock.withLock { try session.send(request, body: .bytes(bytes), limit: 64 << 20) }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        guard response.head.isSuccess else {
            let type = (object["__type"] as? String).map { $0.split(separator: "#").last.map(String.init) ?? $0 } ?? "HTTP\(response.status)"
            let message = object["message"] as? String ?? object["Message"] as? String ?? response.text
            throw AthenaError(action: action, code: type, message: message)
        }
        return object
    }

    public func start(_ sql: String) throws -> String {
        var payload: [String: Any] = [
            "QueryString": sql,
            "ClientRequestToken": UUID().uuidString,
            "ResultConfiguration": ["OutputLocation": config.outputLocation],
        ]
        if let database = config.database, !database.isEmpty { payload["QueryExecutionContext"] = ["Database": database] }
        if let workgroup = config.workgroup, !workgroup.isEmpty { payload["WorkGroup"] = workgroup }
        guard let id = try call("StartQueryExecution", payload)["QueryExecutionId"] as? String else {
            throw AthenaError(action: "StartQueryExecution", code: "NoQueryExecutionId", message: "the reply has no QueryExecutionId")
        }
        return id
    }

    public func status(_ id: String) throws -> Execution {
        let reply = try call("GetQueryExecution", ["QueryExecutionId": id])
        let execution = reply["QueryExecution"] as? [String: Any] ?? [:]
        let status = execution["Status"] as? [String: Any] ?? [:]
        return Execution(id: id, state: status["State"] as? String ?? "UNKNOWN", reason: status["StateChangeReason"] as? String,
                         query: execution["Query"] as? String,
                         database: (execution["QueryExecutionContext"] as? [String: Any])?["Database"] as? String)
    }

    /// Polls until the query leaves QUEUED/RUNNING, with a growing interval (0.2 s up to `maxPoll`); a cancel stops it.
    public func wait(_ id: String, maxPoll: TimeInterval = 5, shouldCancel: () -> Bool = { false }) throws -> Execution {
        var delay = 0.2
        while true {
            let execution = try status(id)
            if execution.state != "QUEUED" && execution.state != "RUNNING" { return execution }
            let end = Date().addingTimeInterval(delay)
            while Date() < end {
                if shouldCancel() {
                    _ = try? call("StopQueryExecution", ["QueryExecutionId": id])
                    throw HTTPError.cancelled
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            delay = min(maxPoll, delay * 2)
        }
    }

    /// Runs `sql` to completion; a FAILED or CANCELLED query throws with Athena's reason.
    @discardableResult
    public func run(_ sql: String, shouldCancel: () -> Bool = { false }) throws -> Execution {
        let execution = try wait(try start(sql), shouldCancel: shouldCancel)
        guard execution.state == "SUCCEEDED" else {
            throw AthenaError(action: "query \(execution.id)", code: execution.state, message: execution.reason ?? "no reason given")
        }
        return execution
    }

    /// The result rows, page by page (Athena's first row of a SELECT repeats the column names; it is dropped).
    public func results(_ id: String, _ body: ([String], [[String?]]) throws -> Void) throws -> [String] {
        try typedResults(id) { columns, rows in try body(columns.map(\.name), rows) }.map(\.name)
    }

    /// `results` with each column's type as Athena's `ColumnInfo` names it (`integer`, `varchar`, `decimal(10,2)`,
    /// ...; empty when the metadata does not say).
    public func typedResults(_ id: String, _ body: ([(name: String, type: String)], [[String?]]) throws -> Void) throws -> [(name: String, type: String)] {
        var token: String?
        var typed: [(name: String, type: String)] = []
        var columns: [String] = []
        var first = true
        repeat {
            var payload: [String: Any] = ["QueryExecutionId": id, "MaxResults": 1000]
            if let token { payload["NextToken"] = token }
            let reply = try call("GetQueryResults", payload)
            let set = reply["ResultSet"] as? [String: Any] ?? [:]
            if columns.isEmpty, let info = (set["ResultSetMetadata"] as? [String: Any])?["ColumnInfo"] as? [[String: Any]] {
                typed = info.compactMap { column in
                    guard let name = column["Name"] as? String else { return nil }
                    var type = column["Type"] as? String ?? ""
                    if type == "decimal", let p = column["Precision"] as? Int, let s = column["Scale"] as? Int { type = "decimal(\(p),\(s))" }
                    return (name, type)
                }
                columns = typed.map(\.name)
            }
            var rows = (set["Rows"] as? [[String: Any]] ?? []).map { row in
                (row["Data"] as? [[String: Any]] ?? []).map { $0["VarCharValue"] as? String }
            }
            if first, let header = rows.first, !columns.isEmpty, header.map({ $0 ?? "" }) == columns { rows.removeFirst() }
            first = false
            if !rows.isEmpty { try body(typed, rows) }
            token = reply["NextToken"] as? String
        } while token != nil
        return typed
    }
}

public struct AthenaError: Error, Sendable, CustomStringConvertible {
    public var action: String
    public var code: String
    public var message: String
    public var description: String { "Athena \(action): \(code): \(message)" }
}
