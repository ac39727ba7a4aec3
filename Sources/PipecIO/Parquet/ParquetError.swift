/// Why a Parquet file could not be written.
public enum ParquetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A text value that does not parse as its column's type. `row` counts data rows from 1.
    case invalidValue(column: String, row: Int, value: String, reason: String)
    /// A row with a different number of fields than the schema has columns.
    case rowWidth(row: Int, expected: Int, actual: Int)
    case invalidSchema(String)

    public var description: String {
        switch self {
        case .invalidValue(let column, let row, let value, let reason):
            let shown = value.count > 80 ? String(value.prefix(80)) + "…" : value
            return "column '\(column)', row \(row): '\(shown)' \(reason)"
        case .rowWidth(let row, let expected, let actual):
            return "row \(row) has \(actual) field(s) but the Parquet schema has \(expected) column(s)"
        case .invalidSchema(let message):
            return "invalid Parquet schema: \(message)"
        }
    }
}
