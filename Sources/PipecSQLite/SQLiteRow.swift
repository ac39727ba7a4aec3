/// The column names of a result, shared by all of its rows (one allocation per statement, not per row).
public final class SQLiteColumns: Sendable, Equatable {
    /// Names in result order, as SQLite reports them (`AS` aliases included).
    public let names: [String]
    private let indexByName: [String: Int]

    init(names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        // The first of duplicate names wins, as with SQL's own positional ambiguity resolved left to right.
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        self.indexByName = index
    }

    public var count: Int { names.count }

    /// The 0-based index of the first column called `name` (exact, case-sensitive match), or nil.
    public func index(of name: String) -> Int? { indexByName[name] }

    public static func == (lhs: SQLiteColumns, rhs: SQLiteColumns) -> Bool { lhs.names == rhs.names }
}

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
