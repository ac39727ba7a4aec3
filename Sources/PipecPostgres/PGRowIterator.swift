internal import CLibPQ

/// The rows of one statement, streamed in libpq's single-row mode: each ``next()`` reads one row from the
/// socket, so memory stays constant however many rows the statement returns.
///
/// Swift's `IteratorProtocol` cannot throw, so this is a plain type: `while let row = try rows.next() { ... }`.
/// While it is unfinished it owns its connection's conversation (other calls on the connection fail with a
/// client error). Dropping it early cancels the statement and discards what the server still sends.
public final class PGRowIterator {
    /// The connection the rows come from (kept alive by the iterator).
    public let connection: PGConnection
    /// The statement being streamed.
    public let statement: String
    /// The result's columns: known once the first row (or the end) has been read.
    public private(set) var columns: PGColumns?
    /// Rows returned so far.
    public private(set) var rowCount = 0
    private var finished = false

    init(connection: PGConnection, statement: String) {
        self.connection = connection
        self.statement = statement
        connection.isBusy = true
    }

    deinit {
        if !finished {
            // Cancel first: otherwise draining would read every remaining row of a possibly huge result.
            try? connection.canceller.cancel()
            connection.drainResults()
            connection.isBusy = false
        }
    }

    /// The next row, or nil when the statement has finished (and on every call after that).
    /// - Throws: ``PGError`` when the statement fails, at whichever row the server reports it.
    public func next() throws -> PGRow? {
        guard !finished else { return nil }
        let handle = connection.handle
        guard let raw = PQgetResult(handle) else {
            finish()
            return nil
        }
        let status = PQresultStatus(raw)
        switch status {
        case PGRES_SINGLE_TUPLE:
            let columns = self.columns ?? Self.columns(of: raw)
            self.columns = columns
            let values = (0..<Int32(columns.count)).map { PGResult.value(raw, 0, $0) }
            PQclear(raw)
            rowCount += 1
            return PGRow(columns: columns, values: values)
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            // The zero-row result that ends a single-row-mode query (or a statement without rows).
            if columns == nil { columns = Self.columns(of: raw) }
            PQclear(raw)
            connection.drainResults()
            finish()
            return nil
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            PQclear(raw)
            connection.drainResults()
            finish()
            throw PGError.client("COPY cannot be streamed as rows; use copyIn or copyOut", statement: statement)
        default:
            let error = PGError(result: raw, statement: statement)
            PQclear(raw)
            connection.drainResults()
            finish()
            throw error
        }
    }

    private func finish() {
        finished = true
        connection.isBusy = false
    }

    private static func columns(of raw: OpaquePointer) -> PGColumns {
        let count = Int(PQnfields(raw))
        return PGColumns(names: (0..<count).map { String(cString: PQfname(raw, Int32($0))) },
                         types: (0..<count).map { PGType(rawValue: PQftype(raw, Int32($0))) })
    }
}

@available(*, unavailable, message: "an iterator belongs to its connection's task")
extension PGRowIterator: Sendable {}
