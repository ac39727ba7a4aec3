internal import CLibPQ
import Foundation

/// One libpq connection to PostgreSQL.
///
/// **Ownership.** Owns the `PGconn*` and closes it (`PQfinish`) in `deinit`; results (``PGResult``) own their
/// own `PGresult*` and outlive the connection safely.
///
/// **Not `Sendable`.** A connection carries one conversation with the server — one statement, or one COPY, or
/// one streamed result at a time — so it is used from one task at a time, which the compiler enforces. The one
/// operation that must come from elsewhere, cancelling the running statement for a timeout or Ctrl-C, goes
/// through ``canceller``, a separate `Sendable` object.
///
/// **Protocols.** ``execute(_:)`` uses the simple query protocol (several statements allowed, no parameters);
/// ``query(_:parameters:)`` the extended protocol, where parameters travel separately from the SQL and are
/// never spliced into it. Values are exchanged in text format; the client encoding is UTF-8.
public final class PGConnection {
    let handle: OpaquePointer
    /// A `Sendable` handle that cancels the statement running on this connection, from any thread.
    public let canceller: PGCanceller
    /// True while a ``PGRowIterator`` or a COPY owns the connection's conversation.
    var isBusy = false
    /// Where libpq's notice receiver delivers NOTICE/WARNING messages (see ``noticeHandler``).
    private let notices = NoticeSink()
    private var savepointCounter = 0

    /// Connects with a libpq connection string: key/value (`host=127.0.0.1 port=5432 user=u dbname=d`) or a URI
    /// (`postgres://user:pass@host:port/db?sslmode=disable`); missing settings come from libpq's `PG*`
    /// environment variables and defaults.
    ///
    /// - Throws: ``PGError`` (``PGError/Kind/connection``) with libpq's message, from which the password is removed.
    public init(conninfo: String) throws {
        guard let connection = PQconnectdb(conninfo) else {
            throw PGError(kind: .connection, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines()
            PQfinish(connection)
            throw PGError(kind: .connection, message: ConnInfoRedaction.redact(message, conninfo: conninfo))
        }
        if PQsetClientEncoding(connection, "UTF8") != 0 {
            let error = PGError.connection(connection, statement: nil)
            PQfinish(connection)
            throw error
        }
        self.handle = connection
        self.canceller = PGCanceller(handle: PQgetCancel(connection))
        // libpq's default notice processor prints NOTICE/WARNING messages to stderr; pipec owns its terminal
        // output, so notices go to `noticeHandler` (or nowhere). The sink is passed unretained: this object owns
        // it and outlives the PGconn, which is finished in deinit before the sink is released.
        PQsetNoticeReceiver(connection, { context, result in
            guard let context, let result else { return }
            let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
            sink.handler?(PGError(result: result, statement: nil))
        }, Unmanaged.passUnretained(notices).toOpaque())
    }

    /// Receives the server's notices (`RAISE NOTICE`, warnings such as "there is no transaction in progress")
    /// as they arrive, on the thread running the statement. They carry the same fields as errors, with severity
    /// `NOTICE`, `WARNING`, `INFO`, ... Nil (the default) drops them; they are never printed.
    public var noticeHandler: ((PGError) -> Void)? {
        get { notices.handler }
        set { notices.handler = newValue }
    }

    deinit {
        canceller.invalidate()
        PQfinish(handle)
    }

    /// The server's version as a number, e.g. 150018 for 15.18.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Whether a transaction block is open (also when it has failed and awaits ROLLBACK).
    public var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    // MARK: - Statements

    /// Runs one or several `;`-separated statements with the simple query protocol and returns the last
    /// statement's result. The statements before a failing one have taken effect unless they were in a
    /// transaction; the error's ``PGError/position`` is counted from the start of `sql`.
    @discardableResult
    public func execute(_ sql: String) throws -> PGResult {
        try checkIdle(sql)
        guard PQsendQuery(handle, sql) == 1 else { throw PGError.connection(handle, statement: sql) }
        return try finishResults(statement: sql)
    }

    /// Runs one statement with parameters `$1...$n` sent separately from the SQL, in text format; `nil` is NULL.
    /// The server infers each parameter's type from its use (cast in SQL, e.g. `$1::int`, when it cannot).
    @discardableResult
    public func query(_ sql: String, parameters: [String?] = []) throws -> PGResult {
        try checkIdle(sql)
        let sent = CStringArray(parameters).withPointers { values in
            PQsendQueryParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw PGError.connection(handle, statement: sql) }
        return try finishResults(statement: sql)
    }

    /// Streams the rows of one statement in constant memory (libpq's single-row mode): each
    /// ``PGRowIterator/next()`` holds one row. The connection serves nothing else until the iterator has
    /// returned nil or has been dropped (dropping it early cancels the statement).
    public func rows(_ sql: String, parameters: [String?] = []) throws -> PGRowIterator {
        try checkIdle(sql)
        let sent = CStringArray(parameters).withPointers { values in
            PQsendQueryParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw PGError.connection(handle, statement: sql) }
        guard PQsetSingleRowMode(handle) == 1 else {
            let error = PGError.connection(handle, statement: sql)
            drainResults()
            throw error
        }
        return PGRowIterator(connection: self, statement: sql)
    }

    /// Calls `body` for each row of one statement, one row in memory at a time; returns the number of rows.
    /// When `body` throws, the statement is cancelled and the error rethrown.
    @discardableResult
    public func forEachRow(_ sql: String, parameters: [String?] = [], _ body: (PGRow) throws -> Void) throws -> Int {
        let iterator = try rows(sql, parameters: parameters)
        var count = 0
        while let row = try iterator.next() {
            try body(row)
            count += 1
        }
        return count
    }

    // MARK: - Transactions

    public func begin() throws { try execute("BEGIN") }

    /// Commits the open transaction. PostgreSQL answers COMMIT in a failed transaction by rolling back without
    /// an error; that case is reported as an error here (SQLSTATE 25P02), since nothing was committed.
    public func commit() throws {
        let result = try execute("COMMIT")
        if result.commandTag == "ROLLBACK" {
            throw PGError(kind: .server, sqlstate: "25P02", severity: "ERROR",
                          message: "the transaction was rolled back, not committed: a statement in it had failed",
                          statement: "COMMIT")
        }
    }

    public func rollback() throws { try execute("ROLLBACK") }

    /// Runs `body` in a transaction: committed when `body` returns, rolled back when it (or the commit) throws.
    /// Nested inside an open transaction, it uses a savepoint, so only the inner work is undone on error.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction {
            savepointCounter += 1
            let name = "pipec_savepoint_\(savepointCounter)"
            try execute("SAVEPOINT \(name)")
            do {
                let result = try body()
                try execute("RELEASE SAVEPOINT \(name)")
                return result
            } catch {
                // The body's error is the one to report; the enclosing transaction sees the resulting state.
                _ = try? execute("ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
                throw error
            }
        }
        try begin()
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            if isInTransaction { try? rollback() }
            throw error
        }
    }

    // MARK: - Cancelling

    /// Asks the server to cancel the running statement (see ``PGCanceller/cancel()``). From another thread or
    /// task, use ``canceller``: this object is not `Sendable`.
    public func cancel() throws { try canceller.cancel() }

    /// `"name"` with embedded quotes doubled: an identifier safe to put into SQL text (e.g. a COPY's table).
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Result plumbing

    func checkIdle(_ sql: String) throws {
        if isBusy {
            throw PGError.client("the connection is busy with a streamed result or COPY; finish or drop it first",
                                 statement: sql)
        }
    }

    /// Reads every result of the statement(s) just sent, until libpq reports none is left (required before the
    /// connection takes the next command). Returns the last successful result; throws the first error.
    func finishResults(statement: String) throws -> PGResult {
        var last: PGResult?
        var failure: PGError?
        while let raw = PQgetResult(handle) {
            let status = PQresultStatus(raw)
            switch status {
            case PGRES_COPY_IN:
                PQclear(raw)
                PQputCopyEnd(handle, "pipec: COPY FROM STDIN must go through copyIn")
                failure = failure ?? PGError.client("COPY FROM STDIN needs copyIn(_:from:)", statement: statement)
            case PGRES_COPY_OUT, PGRES_COPY_BOTH:
                PQclear(raw)
                discardCopyOutData()
                failure = failure ?? PGError.client("COPY TO STDOUT needs copyOut(_:to:)", statement: statement)
            case PGRES_FATAL_ERROR, PGRES_BAD_RESPONSE, PGRES_NONFATAL_ERROR:
                failure = failure ?? PGError(result: raw, statement: statement)
                PQclear(raw)
            default:
                last = PGResult(handle: raw)
            }
        }
        if let failure { throw failure }
        guard let last else { throw PGError.connection(handle, statement: statement) }
        return last
    }

    /// Reads and drops every pending result, e.g. after cancelling. Errors are expected here and ignored.
    func drainResults() {
        while let raw = PQgetResult(handle) {
            let status = PQresultStatus(raw)
            PQclear(raw)
            if status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH { discardCopyOutData() }
            if status == PGRES_COPY_IN { PQputCopyEnd(handle, "pipec: COPY abandoned") }
        }
    }

    /// Reads COPY OUT data to its end without keeping it.
    func discardCopyOutData() {
        var buffer: UnsafeMutablePointer<CChar>?
        while true {
            let count = PQgetCopyData(handle, &buffer, 0)
            if let data = buffer { PQfreemem(data); buffer = nil }
            if count < 0 { return }
        }
    }
}

@available(*, unavailable, message: "use a connection from one task at a time; share its `canceller` instead")
extension PGConnection: Sendable {}

/// Holds the notice handler where the C notice receiver can reach it through its context pointer.
final class NoticeSink {
    var handler: ((PGError) -> Void)?
}
