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
