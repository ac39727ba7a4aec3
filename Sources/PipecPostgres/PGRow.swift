/// The columns of a result — names and type OIDs — shared by all of its rows (one allocation per result).
public final class PGColumns: Sendable, Equatable {
    /// Column names in result order (`?column?` for unnamed expressions, as PostgreSQL names them).
    public let names: [String]
    /// Each column's type, in result order.
    public let types: [PGType]
    private let indexByName: [String: Int]

    init(names: [String], types: [PGType]) {
        self.names = names
        self.types = types
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        self.indexByName = index
    }

    public var count: Int { names.count }

    /// The 0-based index of the first column called `name` (exact match), or nil.
    public func index(of name: String) -> Int? { indexByName[name] }

    public static func == (lhs: PGColumns, rhs: PGColumns) -> Bool { lhs.names == rhs.names && lhs.types == rhs.types }
}

/// One row in PostgreSQL's text format: each value as the server renders it, `nil` for NULL.
public struct PGRow: Sendable, Equatable, CustomStringConvertible {
    public let columns: PGColumns
    public let values: [String?]

    public init(columns: PGColumns, values: [String?]) {
        self.columns = columns
        self.values = values
    }

    /// The value at a 0-based column index (`nil` = NULL).
    public subscript(index: Int) -> String? { values[index] }

    /// The value of the first column called `name`: `.none` when there is no such column, `.some(nil)` for NULL.
    public subscript(name: String) -> String?? {
        columns.index(of: name).map { values[$0] }
    }

    public var description: String {
        zip(columns.names, values).map { "\($0)=\($1 ?? "NULL")" }.joined(separator: ", ")
    }
}
