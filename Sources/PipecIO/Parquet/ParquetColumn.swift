/// One column of a Parquet file pipec writes. Every column is OPTIONAL (nullable), since engines hand rows over
/// as text where any field may be NULL.
public struct ParquetColumn: Sendable, Hashable {
    public var name: String
    public var type: ParquetColumnType

    public init(name: String, type: ParquetColumnType) {
        self.name = name
        self.type = type
    }
}

/// The column types pipec writes. Each is stored with both its converted type and its logical type, because
/// readers differ in which one they look at (duckdb reads strings, dates and decimals from the converted type).
public enum ParquetColumnType: Sendable, Hashable, CustomStringConvertible {
    /// UTF-8 text: BYTE_ARRAY annotated STRING.
    case string
    case boolean
    case int32
    case int64
    /// 0...2^64-1: INT64 annotated INTEGER(64, unsigned), which pyarrow reads as uint64 and duckdb as UBIGINT.
    case uint64
    case float
    case double
    /// Days since 1970-01-01: INT32 annotated DATE.
    case date
    /// Microseconds since 1970-01-01 00:00 UTC: INT64 annotated TIMESTAMP(isAdjustedToUTC: true, MICROS).
    /// Text without an offset is taken as UTC.
    case timestamp
    /// Exact decimal, precision 1...38 and scale 0...precision: INT32 up to precision 9, INT64 up to 18, beyond
    /// that FIXED_LEN_BYTE_ARRAY (big-endian two's complement), all annotated DECIMAL.
    case decimal(precision: Int, scale: Int)

    public var description: String {
        switch self {
        case .string: return "string"
        case .boolean: return "boolean"
        case .int32: return "int32"
        case .int64: return "int64"
        case .uint64: return "uint64"
        case .float: return "float"
        case .double: return "double"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case .decimal(let p, let s): return "decimal(\(p),\(s))"
        }
    }
}
