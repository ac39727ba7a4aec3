/// Column type grammars per dialect: enough to catch typos and types from the wrong engine, without
/// pretending to be each database's full type parser.
enum ColumnTypes {
    /// nil when valid; otherwise a reason and maybe a suggestion.
    static func problem(_ type: String, dialect: Dialect) -> (message: String, help: String?)? {
        // The same few types repeat across thousands of columns.
        if validCache.withLock({ $0.contains(Key(type: type, dialect: dialect)) }) { return nil }
        let result = check(type, dialect: dialect)
        if result == nil { validCache.withLock { _ = $0.insert(Key(type: type, dialect: dialect)) } }
        return result
    }

    private struct Key: Hashable {
        var type: String
        var dialect: Dialect
    }

    private static let validCache = Mutex(Set<Key>())

    private static func check(_ type: String, dialect: Dialect) -> (message: String, help: String?)? {
        let t = type.trimming(" ")
        switch dialect {
        case .clickhouse: return clickHouse(t)
        case .postgres: return keyword(t, postgresTypes, dialect: "PostgreSQL", arrays: true)
        case .sqlite: return keyword(t, sqliteTypes, dialect: "SQLite", arrays: false)
        case .athena: return keyword(t, athenaTypes, dialect: "Athena", arrays: false)
        }
    }

    /// Whether a column of this type holds a date or a date-time (what interval_column needs).
    /// A SQLite column whose values are text by affinity (TEXT, VARCHAR, CLOB, ...) or that has no declared type.
    static func isSQLiteText(_ type: String) -> Bool {
        let t = type.trimming(" ").uppercased()
        return t.isEmpty || t.contains("TEXT") || t.contains("CHAR") || t.contains("CLOB")
    }

    /// The interval column types a dialect accepts, for E303's help.
    static func temporalHelp(_ dialect: Dialect) -> String {
        switch dialect {
        case .clickhouse: return "use Date, Date32, DateTime or DateTime64 (optionally Nullable)"
        case .postgres: return "use date, timestamp or timestamptz"
        case .athena: return "use date or timestamp"
        case .sqlite: return "use TEXT holding ISO 8601 dates or times (2025-03-01, 2025-03-01 10:00:00, 2025-03-01T10:00:00Z), or DATE/TIMESTAMP"
        }
    }

    static func isTemporal(_ type: String, dialect: Dialect) -> Bool {
        if let ascii = isTemporalASCII(type) { return ascii }
        var t = type.trimming(" ")
        for wrapper in ["Nullable(", "LowCardinality("] where t.hasPrefix(wrapper) && t.hasSuffix(")") {
            t = String(t.dropFirst(wrapper.count).dropLast())
        }
        let lower = t.lowercased()
        return lower.hasPrefix("date") || lower.hasPrefix("timestamp") || lower == "datetime" || lower.hasPrefix("datetime")
    }

    /// `isTemporal` on the bytes of an ASCII type name (every real one), without building strings; nil for other text.
    private static func isTemporalASCII(_ type: String) -> Bool? {
        var type = type
        return type.withUTF8 { bytes -> Bool? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            var start = 0, end = bytes.count
            while start < end, bytes[start] == 0x20 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 { end -= 1 }
            func starts(with word: StaticString, caseInsensitive: Bool) -> Bool {
                guard end - start >= word.utf8CodeUnitCount else { return false }
                for i in 0..<word.utf8CodeUnitCount {
                    let b = bytes[start + i], w = word.utf8Start[i]
                    if b != w && !(caseInsensitive && b | 0x20 == w) { return false }
                }
                return true
            }
            // One Nullable( and then one LowCardinality( wrapper, as the general path peels them.
            func peel(_ wrapper: StaticString) {
                let length = wrapper.utf8CodeUnitCount
                if starts(with: wrapper, caseInsensitive: false) && end - start > length && bytes[end - 1] == UInt8(ascii: ")") {
                    start += length
                    end -= 1
                }
            }
            peel("Nullable(")
            peel("LowCardinality(")
            return starts(with: "date", caseInsensitive: true) || starts(with: "timestamp", caseInsensitive: true)
        }
    }

    static let clickHouseSimple: Set<String> = [
        "UInt8", "UInt16", "UInt32", "UInt64", "UInt128", "UInt256", "Int8", "Int16", "Int32", "Int64", "Int128", "Int256",
        "Float32", "Float64", "String", "Date", "Date32", "DateTime", "UUID", "Bool", "IPv4", "IPv6", "JSON",
        "Decimal32", "Decimal64", "Decimal128", "Decimal256", "Decimal", "FixedString", "DateTime64", "Enum8", "Enum16",
        "Nullable", "LowCardinality", "Array", "Tuple", "Map", "Nested", "AggregateFunction", "SimpleAggregateFunction",
    ]
    /// Case-insensitive SQL aliases ClickHouse accepts.
    static let clickHouseAliases: Set<String> = ["int", "integer", "bigint", "smallint", "tinyint", "float", "double", "text", "varchar",
                                                 "char", "boolean", "blob", "timestamp"]
    static let clickHouseParametric: Set<String> = ["Decimal", "Decimal32", "Decimal64", "Decimal128", "Decimal256", "FixedString",
                                                    "DateTime", "DateTime64", "Enum8", "Enum16", "Nullable", "LowCardinality", "Array",
                                                    "Tuple", "Map", "Nested", "AggregateFunction", "SimpleAggregateFunction", "JSON"]
    static let clickHouseBareOnlyParametric: Set<String> = ["FixedString", "DateTime64", "Enum8", "Enum16", "Nullable", "LowCardinality",
                                                            "Array", "Tuple", "Map", "Nested", "AggregateFunction", "SimpleAggregateFunction"]

    private static func clickHouse(_ t: String) -> (message: String, help: String?)? {
        let name = String(t.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        let rest = t.dropFirst(name.count).trimming(" ")
        guard clickHouseSimple.contains(name) || clickHouseAliases.contains(name.lowercased()) else {
            let suggestion = DidYouMeanLite.best(name, Array(clickHouseSimple))
            return ("'\(t)' is not a ClickHouse type", suggestion.map { "did you mean '\($0)'?" })
        }
        if rest.isEmpty {
            if clickHouseBareOnlyParametric.contains(name) { return ("ClickHouse type '\(name)' needs parameters, e.g. \(name)(...)", nil) }
            return nil
        }
        guard rest.hasPrefix("("), rest.hasSuffix(")"), clickHouseParametric.contains(name) else {
            return ("'\(t)' is not a ClickHouse type", nil)
        }
        let inner = String(rest.dropFirst().dropLast())
        guard balanced(inner) else { return ("unbalanced parentheses in type '\(t)'", nil) }
        switch name {
        case "Nullable", "LowCardinality", "Array":
            if let p = clickHouse(inner) { return p }
        case "Map":
            for part in splitTopLevel(inner) { if let p = clickHouse(part) { return p } }
            if splitTopLevel(inner).count != 2 { return ("Map takes a key type and a value type", nil) }
        case "Tuple":
            for part in splitTopLevel(inner) {
                // Named tuple elements: `name Type`.
                let pieces = part.split(separator: " ", maxSplits: 1).map(String.init)
                let candidate = pieces.count == 2 && clickHouse(pieces[0]) != nil ? pieces[1] : part
                if let p = clickHouse(candidate) { return p }
            }
        default:
            break
        }
        return nil
    }

    static let postgresTypes: Set<String> = [
        "smallint", "integer", "int", "int2", "int4", "int8", "bigint", "serial", "bigserial", "smallserial", "real", "float4", "float8",
        "double precision", "float", "numeric", "decimal", "money", "text", "varchar", "character varying", "char", "character",
        "bpchar", "boolean", "bool", "date", "timestamp", "timestamptz", "timestamp without time zone", "timestamp with time zone",
        "time", "timetz", "time without time zone", "time with time zone", "interval", "json", "jsonb", "uuid", "bytea", "inet",
        "cidr", "macaddr", "xml", "tsvector", "citext", "oid",
    ]
    static let sqliteTypes: Set<String> = [
        "integer", "int", "bigint", "smallint", "tinyint", "mediumint", "real", "double", "double precision", "float", "numeric",
        "decimal", "boolean", "text", "varchar", "character", "char", "nvarchar", "clob", "blob", "date", "datetime", "timestamp",
    ]
    static let athenaTypes: Set<String> = [
        "boolean", "tinyint", "smallint", "int", "integer", "bigint", "float", "real", "double", "decimal", "char", "varchar", "string",
        "binary", "date", "timestamp", "array", "map", "struct",
    ]

    private static func keyword(_ t: String, _ known: Set<String>, dialect: String, arrays: Bool) -> (message: String, help: String?)? {
        var base = t.lowercased()
        if arrays { while base.hasSuffix("[]") { base = String(base.dropLast(2)).trimming(" ") } }
        if let open = base.firstIndex(of: "(") {
            guard base.hasSuffix(")") else { return ("unbalanced parentheses in type '\(t)'", nil) }
            let args = base[base.index(after: open)..<base.index(before: base.endIndex)]
            guard args.allSatisfy({ $0.isNumber || $0 == "," || $0 == " " }) || dialect == "Athena" else {
                return ("type parameters of '\(t)' must be numbers", nil)
            }
            base = String(base[..<open]).trimming(" ")
        }
        if dialect == "Athena", base.hasPrefix("array<") || base.hasPrefix("map<") || base.hasPrefix("struct<") { return nil }
        base = base.split(separator: " ").joined(separator: " ")
        if known.contains(base) { return nil }
        let suggestion = DidYouMeanLite.best(base, Array(known))
        let looksClickHouse = clickHouseSimple.contains(String(t.prefix { $0.isLetter || $0.isNumber }))
        let help = suggestion.map { "did you mean '\($0)'?" } ?? (looksClickHouse ? "'\(t)' is a ClickHouse type; this table is on a \(dialect) resource" : nil)
        return ("'\(t)' is not a \(dialect) type", help)
    }

    private static func balanced(_ s: String) -> Bool {
        var depth = 0
        for c in s {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0
    }

    /// Splits on commas outside parentheses and quotes.
    static func splitTopLevel(_ s: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        for c in s {
            if c == "'" { quoted.toggle() }
            if !quoted {
                if c == "(" { depth += 1 }
                if c == ")" { depth -= 1 }
                if c == ",", depth == 0 {
                    parts.append(current.trimming(" "))
                    current = ""
                    continue
                }
            }
            current.append(c)
        }
        parts.append(current.trimming(" "))
        return parts
    }
}

import PipecDiagnostics
import Synchronization

/// Did-you-mean for type names: compares case-insensitively, suggests the spelling as the engine writes it.
enum DidYouMeanLite {
    static func best(_ word: String, _ candidates: [String]) -> String? {
        DidYouMean.suggest(word, from: candidates)
    }
}

extension StringProtocol {
    func trimming(_ set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
