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
