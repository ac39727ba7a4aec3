import Foundation
import PipecHTTP

/// A ClickHouse server over its HTTP interface: statements, streamed SELECTs, streamed INSERTs. Every query
/// carries a `query_id` (so it can be killed) and `max_execution_time` (so it cannot outlive its caller); errors
/// are read from the `Code: N` body. One request at a time; the session keeps the connection alive between them.
public final class ClickHouseClient: @unchecked Sendable {
    public let config: ClickHouseConfig
    private let session: HTTPSession

    public init(_ config: ClickHouseConfig) throws {
        self.config = config
        session = try HTTPSession()
    }

    /// Column names and types of a result, as `TabSeparatedWithNamesAndTypes` gives them.
    public struct Columns: Sendable {
        public var names: [String]
        public var types: [String]
    }

    /// What the server says a statement did; present on releases that send `X-ClickHouse-Summary` (not 18.16).
    public struct Summary: Sendable {
        public var readRows: Int? = nil
        public var writtenRows: Int? = nil
    }

    public static func newQueryID() -> String { "pipec-" + UUID().uuidString.lowercased() }

    func request(queryID: String, settings: [(String, String)], timeoutSeconds: Int?) -> HTTPRequest {
        var parameters: [(String, String)] = [("query_id", queryID)]
        if let database = config.database, !database.isEmpty { parameters.append(("database", database)) }
        let limit = timeoutSeconds.map { min($0, config.maxExecutionSeconds) } ?? config.maxExecutionSeconds
        if limit > 0 { parameters.append(("max_execution_time", String(limit))) }
        parameters += config.settings
        parameters += settings
        var headers: [(name: String, value: String)] = []
        if let user = config.user, !user.isEmpty { headers.append(("X-ClickHouse-User", user)) }
        if let password = config.password, !password.isEmpty { headers.append(("X-ClickHouse-Key", password)) }
        headers.append(("Content-Type", "text/plain; charset=utf-8"))
        return HTTPRequest(method: "POST", url: config.url + "/?" + URLEncoding.query(parameters), headers: headers)
    }

    /// Runs one statement (DDL, INSERT ... SELECT, ALTER) and waits for it to finish: `wait_end_of_query=1`, so an
    /// error late in the statement is reported as such rather than after a success status.
    @discardableResult
    public func execute(_ sql: String, queryID: String = newQueryID(), timeoutSeconds: Int? = nil,
                        shouldCancel: () -> Bool = { false }) throws -> Summary {
        let request = request(queryID: queryID, settings: [("wait_end_of_query", "1")], timeoutSeconds: timeoutSeconds)
        let response = try send(request, body: .bytes(Array(sql.utf8)), queryID: queryID, shouldCancel: shouldCancel)
        return Self.summary(response.head)
    }

    /// Runs a SELECT and hands its rows over in batches as they arrive, in constant memory. The result is not
    /// buffered by the server (no `wait_end_of_query`), so an error after the first rows arrives at the end of the
    /// body, where it is looked for.
    @discardableResult
    public func select(_ sql: String, batchRows: Int = 10_000, queryID: String = newQueryID(), timeoutSeconds: Int? = nil,
                       shouldCancel: () -> Bool = { false },
                       _ body: (Columns, [[String?]]) throws -> Void) throws -> Columns {
        let request = request(queryID: queryID, settings: [("default_format", "TabSeparatedWithNamesAndTypes")], timeoutSeconds: timeoutSeconds)
        var splitter = LineSplitter()
        var names: [String]?
        var columns: Columns?
        var batch: [[String?]] = []
        var pending: [UInt8] = []
        var havePending = false
        var status = 0
        var errorBody: [UInt8] = []
        let target = max(1, batchRows)
        func pendingRow(_ line: inout [UInt8]) throws {
            try line.withUnsafeBytes { line in
                let fields = TabSeparated.fields(line)
                guard let known = columns else {
                    if names == nil {
                        names = fields.map { $0 ?? "" }
                    } else {
                        columns = Columns(names: names!, types: fields.map { $0 ?? "" })
                    }
                    return
                }
                guard fields.count == known.names.count else {
                    let text = String(decoding: line, as: UTF8.self)
                    if let error = ClickHouseError.parse(text, httpStatus: status) { throw error }
                    throw ClickHouseError(code: 0, message: "a result row has \(fields.count) fields, expected \(known.names.count)", httpStatus: status)
                }
                batch.append(fields)
                if batch.count >= target {
                    try body(known, batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        do {
            try session.perform(request, body: .bytes(Array(sql.utf8)), shouldCancel: shouldCancel, onHead: { status = $0.status }) { chunk in
                guard (200..<300).contains(status) else {
                    if errorBody.count < 1 << 20 { errorBody.append(contentsOf: chunk) }
                    return
                }
                try splitter.feed(chunk) { line in
                    // Each line is handled one line late: the last line of the body may be an exception the
                    // server appended after the rows, which a one-column result cannot tell from a row otherwise.
                    if havePending { try pendingRow(&pending) }
                    pending.removeAll(keepingCapacity: true)
                    pending.append(contentsOf: line)
                    havePending = true
                }
            }
        } catch HTTPError.cancelled {
            kill(queryID)
            throw HTTPError.cancelled
        }
        guard (200..<300).contains(status) else { throw Self.error(errorBody, status: status) }
        if !splitter.remainder.isEmpty {
            // Rows end with a newline; text after the last one is an exception the server appended mid-stream.
            let text = String(decoding: splitter.remainder, as: UTF8.self)
            throw ClickHouseError.parse(text, httpStatus: status) ?? ClickHouseError(code: 0, message: "the result ended inside a row: \(text.prefix(200))", httpStatus: status)
        }
        if havePending {
            let text = String(decoding: pending, as: UTF8.self)
            if text.hasPrefix("Code: "), text.contains("DB::Exception"), let error = ClickHouseError.parse(text, httpStatus: status) { throw error }
            try pendingRow(&pending)
        }
        let result = columns ?? Columns(names: names ?? [], types: [])
        if !batch.isEmpty { try body(result, batch) }
        return result
    }

    /// Runs a SELECT and hands over its body as it arrives, in `format`, unparsed (exports that rewrite bytes).
    /// An exception ClickHouse appends after the first rows is thrown at the end; the caller must then discard what
    /// it received.
    public func selectRaw(_ sql: String, format: String, queryID: String = newQueryID(), timeoutSeconds: Int? = nil,
                          shouldCancel: () -> Bool = { false }, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let request = request(queryID: queryID, settings: [("default_format", format)], timeoutSeconds: timeoutSeconds)
        var status = 0
        var errorBody: [UInt8] = []
        var tail: [UInt8] = []
        do {
            try session.perform(request, body: .bytes(Array(sql.utf8)), shouldCancel: shouldCancel, onHead: { status = $0.status }) { chunk in
                guard (200..<300).contains(status) else {
                    if errorBody.count < 1 << 20 { errorBody.append(contentsOf: chunk) }
                    return
                }
                tail.append(contentsOf: chunk.suffix(4096))
                if tail.count > 8192 { tail.removeFirst(tail.count - 4096) }
                try body(chunk)
            }
        } catch HTTPError.cancelled {
            kill(queryID)
            throw HTTPError.cancelled
        }
        guard (200..<300).contains(status) else { throw Self.error(errorBody, status: status) }
        let text = String(decoding: tail, as: UTF8.self).trimmingCharacters(in: .newlines)
        if let last = text.split(separator: "\n").last, last.hasPrefix("Code: "), last.contains("DB::Exception"),
           let error = ClickHouseError.parse(String(last), httpStatus: status) {
            throw error
        }
    }

    /// A small result, read whole.
    public func query(_ sql: String, timeoutSeconds: Int? = nil, shouldCancel: () -> Bool = { false }) throws -> (Columns, [[String?]]) {
        var rows: [[String?]] = []
        let columns = try select(sql, timeoutSeconds: timeoutSeconds, shouldCancel: shouldCancel) { _, batch in rows += batch }
        return (columns, rows)
    }

    /// Streams an INSERT: `INSERT INTO table (columns) FORMAT format` with the data pulled from `next` while it is
    /// sent, never held whole. `settings` are per-insert (e.g. `date_time_input_format=best_effort`).
    @discardableResult
    public func insert(into table: String, columns: [String], format: String, settings: [(String, String)] = [],
                       queryID: String = newQueryID(), timeoutSeconds: Int? = nil, shouldCancel: () -> Bool = { false },
                       next: () throws -> [UInt8]?) throws -> Summary {
        let columnList = columns.isEmpty ? "" : " (" + columns.map(Self.quoteIdentifier).joined(separator: ", ") + ")"
        let sql = "INSERT INTO \(Self.quoteTable(table))\(columnList) FORMAT \(format)"
        var request = request(queryID: queryID, settings: [("query", sql), ("wait_end_of_query", "1")] + settings, timeoutSeconds: timeoutSeconds)
        request.setHeader("Content-Type", "application/octet-stream")
        let response = try withoutActuallyEscaping(next) { next in
            try send(request, body: .stream(length: nil, next: next), queryID: queryID, shouldCancel: shouldCancel)
        }
        return Self.summary(response.head)
    }

    /// Stops a running query (`KILL QUERY`) from a separate connection; best effort.
    public func kill(_ queryID: String) {
        guard let other = try? ClickHouseClient(config) else { return }
        let quoted = queryID.replacingOccurrences(of: "'", with: "\\'")
        _ = try? other.execute("KILL QUERY WHERE query_id = '\(quoted)'", timeoutSeconds: 30)
    }

    /// Answers `/ping`: whether the server is up.
    public func ping() throws -> Bool {
        let response = try session.send(HTTPRequest(url: config.url + "/ping", timeoutMilliseconds: 10_000))
        return response.status == 200
    }

    private func send(_ request: HTTPRequest, body: HTTPBody, queryID: String, shouldCancel: () -> Bool) throws -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try session.send(request, body: body, limit: 16 << 20, shouldCancel: shouldCancel)
        } catch HTTPError.cancelled {
            kill(queryID)
            throw HTTPError.cancelled
        }
        guard response.head.isSuccess else { throw Self.error(response.body, status: response.status) }
        // 18.16 can append an exception to a successful status when the statement produced output first.
        if let tail = response.text.split(separator: "\n").last, let error = ClickHouseError.parse(String(tail), httpStatus: response.status),
           tail.hasPrefix("Code: ") {
            throw error
        }
        return response
    }

    static func error(_ body: [UInt8], status: Int) -> ClickHouseError {
        let text = String(decoding: body, as: UTF8.self)
        return ClickHouseError.parse(text, httpStatus: status)
            ?? ClickHouseError(code: 0, message: "HTTP \(status): \(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))", httpStatus: status)
    }

    static func summary(_ head: HTTPResponseHead) -> Summary {
        guard let text = head.header("X-ClickHouse-Summary"), let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return Summary() }
        func number(_ key: String) -> Int? {
            if let s = object[key] as? String { return Int(s) }
            return object[key] as? Int
        }
        return Summary(readRows: number("read_rows"), writtenRows: number("written_rows"))
    }

    /// `name` in backquotes, escaping backquotes and backslashes.
    public static func quoteIdentifier(_ name: String) -> String {
        "`" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "`", with: "\\`") + "`"
    }

    /// `db.table` as `` `db`.`table` ``; a name without a dot is quoted whole.
    public static func quoteTable(_ name: String) -> String {
        name.split(separator: ".", maxSplits: 1).map { quoteIdentifier(String($0)) }.joined(separator: ".")
    }
}
