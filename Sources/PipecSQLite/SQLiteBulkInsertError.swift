/// Why a ``SQLiteBulkInsert`` stopped.
public struct SQLiteBulkInsertError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The row had a different number of fields than there are columns.
        case fieldCount(expected: Int, found: Int)
        /// The database rejected the row (constraint, type) or the transaction.
        case database(SQLiteError)
    }

    /// The failing row, 1-based in the order the source produced rows; nil when no single row is at fault.
    public let rowNumber: Int?
    /// Rows committed (durably in) before the failure.
    public let committedRows: Int
    public let reason: Reason

    public var description: String {
        let place = rowNumber.map { "row \($0)" } ?? "bulk insert"
        switch reason {
        case .fieldCount(let expected, let found):
            return "\(place): \(found) fields, expected \(expected) (\(committedRows) rows committed before it)"
        case .database(let error):
            return "\(place): \(error) (\(committedRows) rows committed before it)"
        }
    }
}
