import PipecModel

/// Whether a spec column type and the type a database reports for the live column mean the same thing.
///
/// Databases do not echo the type as written: PostgreSQL's `information_schema` says `bigint` for `INT8` and
/// `timestamp without time zone` for `TIMESTAMP(3)`, and SQLite keeps the declared text but only its affinity
/// affects what the column stores. Each side is reduced to what the database distinguishes before comparing, so
/// an alias never shows up as a breaking change.
public enum ColumnTypeMatch {
    public static func same(spec: String, live: String, dialect: Dialect) -> Bool {
        switch dialect {
        case .sqlite:
            return sqliteAffinity(spec) == sqliteAffinity(live)
        case .postgres:
            let l = postgresCanonical(live), s = postgresCanonical(spec)
            // Extension and enum types (citext, a CREATE TYPE) are all `USER-DEFINED` there: nothing to compare.
            return l == "user-defined" || l == s
        case .clickhouse, .athena:
            // ClickHouse reports types as written and they are case-sensitive (`String`, `Nullable(String)`).
            return collapsed(spec) == collapsed(live)
        }
    }

    /// SQLite's column affinity rules (https://sqlite.org/datatype3.html, 3.1), applied in their order.
    public static func sqliteAffinity(_ declared: String) -> String {
        let t = declared.uppercased()
        if t.contains("INT") { return "INTEGER" }
        if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") { return "TEXT" }
        if t.contains("BLOB") || collapsed(t).isEmpty { return "BLOB" }
        if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") { return "REAL" }
        return "NUMERIC"
    }

    /// A PostgreSQL type as `information_schema.columns.data_type` names it: aliases resolved, lengths,
    /// precisions and array dimensions dropped (data_type reports none of them).
    public static func postgresCanonical(_ type: String) -> String {
        var t = collapsed(type.lowercased())
        if t.hasSuffix("]") || t == "array" { return "array" }
        // `float(p)` is real up to 24 bits of precision and double precision above.
        if t.hasPrefix("float("), let p = Int(t.dropFirst(6).prefix { $0.isNumber }) { return p <= 24 ? "real" : "double precision" }
        t = collapsed(withoutParentheses(t))
        return postgresAliases[t] ?? t
    }

    private static let postgresAliases: [String: String] = [
        "int": "integer", "int4": "integer", "serial": "integer", "serial4": "integer",
        "int8": "bigint", "bigserial": "bigint", "serial8": "bigint",
        "int2": "smallint", "smallserial": "smallint", "serial2": "smallint",
        "float": "double precision", "float8": "double precision", "float4": "real",
        "decimal": "numeric", "bool": "boolean",
        "varchar": "character varying", "char": "character", "bpchar": "character",
        "timestamp": "timestamp without time zone", "timestamptz": "timestamp with time zone",
        "time": "time without time zone", "timetz": "time with time zone",
    ]

    /// `timestamp(3) with time zone` → `timestamp with time zone`: parameters can sit mid-name.
    private static func withoutParentheses(_ s: String) -> String {
        var out = ""
        var depth = 0
        for c in s {
            if c == "(" { depth += 1 } else if c == ")" { depth = max(0, depth - 1) } else if depth == 0 { out.append(c) }
        }
        return out
    }

    private static func collapsed(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }
}
