/// Streams the rows of one statement: each ``next()`` steps the statement once, so at most one row is held.
///
/// Swift's `IteratorProtocol` cannot throw, so this is a plain type with a throwing `next()`:
/// `while let row = try rows.next() { ... }`. It also fits a pull-style row source such as
/// ``SQLiteBulkInsert``'s. Dropping the iterator early finalizes the statement (its locks are released).
public final class SQLiteRowIterator {
    /// The statement being stepped.
    public let statement: SQLiteStatement
    private var finished = false

    init(statement: SQLiteStatement) { self.statement = statement }

    /// The column names of the rows this iterator returns.
    public var columns: SQLiteColumns { statement.columns }

    /// The next row, or nil when the statement has finished (and after an error).
    public func next() throws -> SQLiteRow? {
        guard !finished else { return nil }
        do {
            if try statement.step() { return statement.row() }
        } catch {
            finished = true
            throw error
        }
        finished = true
        statement.reset()
        return nil
    }
}

@available(*, unavailable, message: "an iterator belongs to its connection's task")
extension SQLiteRowIterator: Sendable {}
