/// One SQLite value: SQLite's five storage classes.
///
/// Reading is strict: ``int64`` is nil for `.real`, ``string`` is nil for `.blob`. Conversions between
/// classes belong to the caller (or to SQL, e.g. `CAST`), so none happens silently here.
public enum SQLiteValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    /// UTF-8 text. Bound with its exact byte length, so embedded NULs survive.
    case text(String)
    case blob([UInt8])

    public var isNull: Bool { if case .null = self { true } else { false } }

    public var int64: Int64? { if case .integer(let v) = self { v } else { nil } }

    /// The value of `.real`, and of `.integer` converted (SQLite stores whole REALs as integers in some cases).
    public var double: Double? {
        switch self {
        case .real(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }

    public var string: String? { if case .text(let v) = self { v } else { nil } }

    public var bytes: [UInt8]? { if case .blob(let v) = self { v } else { nil } }

    /// A readable rendering for messages and test output: `NULL`, numbers as written, text in single quotes,
    /// blobs as `x'0a1b'`.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return "'" + v.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        case .blob(let v):
            let digits = Array("0123456789abcdef")
            var hex = ""
            for byte in v { hex.append(digits[Int(byte >> 4)]); hex.append(digits[Int(byte & 0xf)]) }
            return "x'" + hex + "'"
        }
    }
}

extension SQLiteValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
}
