/// One result row, copied out of the statement, so it stays valid after the statement steps on.
public struct SQLiteRow: Sendable, Equatable, CustomStringConvertible {
    public let columns: SQLiteColumns
    /// Values in column order.
    public let values: [SQLiteValue]

    public init(columns: SQLiteColumns, values: [SQLiteValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value at a 0-based column index.
    public subscript(index: Int) -> SQLiteValue { values[index] }

    /// The value of the first column called `name`, or nil when there is no such column (a SQL NULL is `.null`).
    public subscript(name: String) -> SQLiteValue? {
        columns.index(of: name).map { values[$0] }
    }

    public var description: String {
        zip(columns.names, values).map { "\($0)=\($1)" }.joined(separator: ", ")
    }
}
