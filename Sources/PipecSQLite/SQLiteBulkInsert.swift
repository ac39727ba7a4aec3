internal import CSQLite

/// Loads rows of text (e.g. parsed CSV records) into one SQLite table: the SQLite engine's bulk load.
///
/// One prepared `INSERT` is reused for every row, and rows are committed in chunks of ``rowsPerTransaction``:
/// a transaction per row would be bound by fsyncs, one for the whole load would grow the WAL without limit.
/// Rows are pulled one at a time from the source, so memory stays constant however large the input.
///
/// Values are bound as text and `nil` as NULL; the column's type affinity converts text to INTEGER or REAL
/// as SQLite does for any text inserted into such a column, so `"42"` lands as 42 in an INTEGER column.
///
/// **Atomicity.** Chunks committed before a failure stay committed (``SQLiteBulkInsertError/committedRows``
/// says how many rows). Inside an enclosing ``SQLiteDatabase/transaction(_:)`` each chunk becomes a savepoint
/// instead, and the caller's transaction decides.
public struct SQLiteBulkInsert: Sendable {
    /// The target table (unquoted name; it is quoted here).
    public let table: String
    /// The schema holding the table (`main` when nil; `temp` or an attached database's name otherwise).
    public let schema: String?
    /// Target columns, in the order of each row's fields.
    public let columns: [String]
    /// Rows per transaction.
    public let rowsPerTransaction: Int

    public init(table: String, schema: String? = nil, columns: [String], rowsPerTransaction: Int = 10_000) {
        self.table = table
        self.schema = schema
        self.columns = columns
        self.rowsPerTransaction = max(1, rowsPerTransaction)
    }

    /// The `INSERT` this load prepares, with identifiers quoted.
    public var sql: String {
        let target = (schema.map { Self.quote($0) + "." } ?? "") + Self.quote(table)
        let names = columns.map(Self.quote).joined(separator: ", ")
        let placeholders = (1...max(1, columns.count)).map { "?\($0)" }.joined(separator: ", ")
        return "INSERT INTO \(target) (\(names)) VALUES (\(placeholders))"
    }

    /// Inserts every row `nextRow` returns until it returns nil; returns the number of rows inserted.
    ///
    /// - Parameter nextRow: the row source; each row has one field per column, `nil` for NULL. Errors it throws
    ///   are rethrown as they are (after rolling back the open chunk).
    /// - Throws: ``SQLiteBulkInsertError`` for a row with the wrong number of fields or one the database rejects.
    public func run(on database: SQLiteDatabase, rows nextRow: () throws -> [String?]?) throws -> Int {
        guard !columns.isEmpty else {
            throw SQLiteError(code: SQLiteError.misuse, extendedCode: SQLiteError.misuse,
                              message: "a bulk insert needs at least one column", statement: nil)
        }
        let statement = try database.prepare(sql)
        var inserted = 0
        var exhausted = false
        while !exhausted {
            let committedBefore = inserted
            do {
                inserted += try database.transaction { () throws -> Int in
                    var count = 0
                    while count < rowsPerTransaction {
                        guard let row = try nextRow() else {
                            exhausted = true
                            break
                        }
                        try insert(row, with: statement, rowNumber: committedBefore + count + 1, committed: committedBefore)
                        count += 1
                    }
                    return count
                }
            } catch let error as SQLiteBulkInsertError {
                throw error
            } catch let error as SQLiteError {
                // BEGIN/COMMIT failures (e.g. busy): no row of this chunk is in.
                throw SQLiteBulkInsertError(rowNumber: nil, committedRows: committedBefore, reason: .database(error))
            }
        }
        return inserted
    }

    private func insert(_ row: [String?], with statement: SQLiteStatement, rowNumber: Int, committed: Int) throws {
        guard row.count == columns.count else {
            throw SQLiteBulkInsertError(rowNumber: rowNumber, committedRows: committed,
                                        reason: .fieldCount(expected: columns.count, found: row.count))
        }
        statement.reset()
        for (offset, field) in row.enumerated() {
            let index = Int32(offset + 1)
            let status = field.map { statement.bindText($0, at: index) } ?? statement.bindNull(at: index)
            if status != SQLITE_OK {
                throw SQLiteBulkInsertError(rowNumber: rowNumber, committedRows: committed,
                                            reason: .database(SQLiteError(database: statement.database.handle,
                                                                          status: status, statement: statement.sql)))
            }
        }
        do {
            while try statement.step() {}
        } catch let error as SQLiteError {
            throw SQLiteBulkInsertError(rowNumber: rowNumber, committedRows: committed, reason: .database(error))
        }
    }

    /// `"name"` with embedded quotes doubled: SQL's identifier quoting.
    static func quote(_ identifier: String) -> String {
        "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
