/// A PostgreSQL type OID (`pg_type.oid`) as reported for each result column.
///
/// Built-in types have fixed OIDs; user-defined types (enums, domains' base excluded) get database-specific
/// ones, so compare those by name through `pg_type`, not against constants.
public struct PGType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let bool = PGType(rawValue: 16)
    public static let bytea = PGType(rawValue: 17)
    public static let int8 = PGType(rawValue: 20)
    public static let int2 = PGType(rawValue: 21)
    public static let int4 = PGType(rawValue: 23)
    public static let text = PGType(rawValue: 25)
    public static let json = PGType(rawValue: 114)
    public static let float4 = PGType(rawValue: 700)
    public static let float8 = PGType(rawValue: 701)
    public static let unknown = PGType(rawValue: 705)
    public static let bpchar = PGType(rawValue: 1042)
    public static let varchar = PGType(rawValue: 1043)
    public static let date = PGType(rawValue: 1082)
    public static let time = PGType(rawValue: 1083)
    public static let timestamp = PGType(rawValue: 1114)
    public static let timestamptz = PGType(rawValue: 1184)
    public static let interval = PGType(rawValue: 1186)
    public static let numeric = PGType(rawValue: 1700)
    public static let uuid = PGType(rawValue: 2950)
    public static let jsonb = PGType(rawValue: 3802)

    public var description: String { "oid \(rawValue)" }

    /// The type's name in `pg_type` for the built-in types above (typed exports map it to Parquet and JSON); nil for
    /// others, whose OIDs differ between databases.
    public var name: String? {
        switch self {
        case .bool: return "bool"
        case .bytea: return "bytea"
        case .int8: return "int8"
        case .int2: return "int2"
        case .int4: return "int4"
        case .text: return "text"
        case .json: return "json"
        case .float4: return "float4"
        case .float8: return "float8"
        case .bpchar: return "bpchar"
        case .varchar: return "varchar"
        case .date: return "date"
        case .time: return "time"
        case .timestamp: return "timestamp"
        case .timestamptz: return "timestamptz"
        case .interval: return "interval"
        case .numeric: return "numeric"
        case .uuid: return "uuid"
        case .jsonb: return "jsonb"
        default: return nil
        }
    }
}
