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
