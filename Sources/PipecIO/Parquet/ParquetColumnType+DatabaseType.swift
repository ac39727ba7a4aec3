extension ParquetColumnType {
    /// The Parquet type for a column type name as ClickHouse, PostgreSQL or SQLite report it; names it does not
    /// know become ``string`` (always safe: every engine can print any value as text). Nil only for an empty
    /// name (an SQLite expression column has no declared type): the caller decides.
    ///
    /// ClickHouse names are matched case-sensitively first, because `Int8` (8 bits) and PostgreSQL's `int8`
    /// (64 bits) differ only in case. Where an SQL name means different widths in different engines, the wider
    /// type wins (SQLite's INTEGER holds 64 bits, its REAL is a double), so no value is ever rejected for it.
    /// `Nullable(…)` and `LowCardinality(…)` are unwrapped; unconstrained `numeric` and ClickHouse `Decimal256`
    /// (beyond 38 digits) become strings, so no digits are lost.
    public init?(databaseType: String) {
        var name = databaseType.trimming(" \t\n")
        guard !name.isEmpty else { return nil }
        while let inner = Self.unwrap(name, "Nullable") ?? Self.unwrap(name, "LowCardinality") { name = inner }
        if let type = Self.clickHouse(name) {
            self = type
            return
        }
        self = Self.sql(name.lowercased())
    }

    private static func clickHouse(_ name: String) -> ParquetColumnType? {
        let (base, arguments) = split(name)
        switch base {
        case "Int8", "Int16", "Int32", "UInt8", "UInt16": return .int32
        case "Int64", "UInt32": return .int64
        case "UInt64": return .uint64
        case "Float32": return .float
        case "Float64": return .double
        case "Bool": return .boolean
        case "String", "FixedString", "UUID", "IPv4", "IPv6", "Enum8", "Enum16": return .string
        case "Date", "Date32": return .date
        case "DateTime", "DateTime64": return .timestamp
        case "Decimal":
            guard arguments.count == 2, let p = Int(arguments[0]), let s = Int(arguments[1]) else { return .string }
            return decimal(p, s)
        case "Decimal32", "Decimal64", "Decimal128":
            guard arguments.count == 1, let s = Int(arguments[0]) else { return .string }
            return decimal(base == "Decimal32" ? 9 : base == "Decimal64" ? 18 : 38, s)
        default: return nil
        }
    }

    private static func sql(_ lowercased: String) -> ParquetColumnType {
        // `timestamp(3) with time zone`, `timestamptz`, SQLite's `datetime`.
        if lowercased.hasPrefix("timestamp") || lowercased == "datetime" { return .timestamp }
        let (base, arguments) = split(lowercased)
        switch base {
        case "int2", "int4", "smallint", "smallserial", "serial", "serial2", "serial4", "tinyint": return .int32
        case "int8", "bigint", "bigserial", "serial8", "integer", "int", "mediumint", "unsigned big int", "oid":
            return .int64
        case "float4": return .float
        case "float8", "float", "double", "double precision", "real": return .double
        case "bool", "boolean": return .boolean
        case "date": return .date
        case "numeric", "decimal":
            guard let p = arguments.first.flatMap({ Int($0) }) else { return .string }
            return decimal(p, arguments.count > 1 ? Int(arguments[1]) ?? -1 : 0)
        default: return .string
        }
    }

    private static func decimal(_ precision: Int, _ scale: Int) -> ParquetColumnType {
        (1...38).contains(precision) && (0...precision).contains(scale) ? .decimal(precision: precision, scale: scale) : .string
    }

    /// `Wrapper(inner)` → `inner`.
    private static func unwrap(_ name: String, _ wrapper: String) -> String? {
        guard name.hasPrefix(wrapper + "("), name.hasSuffix(")") else { return nil }
        return String(name.dropFirst(wrapper.count + 1).dropLast()).trimming(" ")
    }

    /// `DateTime64(3, 'UTC')` → (`DateTime64`, [`3`, `UTC`]); `character varying(20)` → (`character varying`, [`20`]).
    private static func split(_ name: String) -> (base: String, arguments: [String]) {
        guard let open = name.firstIndex(of: "("), let close = name.lastIndex(of: ")"), open < close else {
            return (name, [])
        }
        let base = name[..<open].trimming(" ")
        let arguments = name[name.index(after: open)..<close].split(separator: ",").map {
            $0.trimming(" '\"")
        }
        return (base, arguments)
    }
}

private extension StringProtocol {
    func trimming(_ set: String) -> String {
        let drop = Set(set)
        guard let first = firstIndex(where: { !drop.contains($0) }) else { return "" }
        let last = lastIndex(where: { !drop.contains($0) })!
        return String(self[first...last])
    }
}
