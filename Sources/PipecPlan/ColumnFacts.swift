import PipecModel

/// What the plan needs to know about column types and ClickHouse engines, read from the spec's text.
enum ColumnFacts {
    /// The type with ClickHouse's `Nullable(...)` and `LowCardinality(...)` wrappers removed, lower-cased.
    static func baseType(_ type: String) -> String {
        var t = type.trimmingSpaces
        for wrapper in ["LowCardinality(", "Nullable("] where t.hasPrefix(wrapper) && t.hasSuffix(")") {
            t = String(t.dropFirst(wrapper.count).dropLast()).trimmingSpaces
        }
        if t.hasPrefix("Nullable("), t.hasSuffix(")") { t = String(t.dropFirst(9).dropLast()) }
        return t.lowercased()
    }

    /// Whether the column may hold NULL in its dialect: ClickHouse columns only when `Nullable(...)` or
    /// `nullable: true`; elsewhere unless `nullable: false` or part of the primary key.
    static func isNullable(_ column: Column, in table: Table, _ dialect: Dialect) -> Bool {
        if dialect == .clickhouse {
            return column.nullable == true || column.type.value.contains("Nullable(")
        }
        if table.primaryKey.contains(where: { $0.value == column.name.value }) { return false }
        return column.nullable != false
    }

    /// Numbers compare with bare literals; everything else with quoted ones.
    static func isNumeric(_ type: String) -> Bool {
        let t = baseType(type)
        let prefixes = ["int", "uint", "float", "decimal", "numeric", "smallint", "bigint", "integer", "real", "double", "tinyint", "serial", "bigserial"]
        return prefixes.contains { t.hasPrefix($0) }
    }

    /// Whether the type holds a date without a time.
    static func isDate(_ type: String) -> Bool {
        let t = baseType(type)
        return t == "date" || t == "date32"
    }

    /// A spec value (`accepted_values`) as a literal comparable with a column of `type`.
    static func literal(_ value: String, columnType: String?, _ dialect: Dialect) -> String {
        if let columnType, isNumeric(columnType), Double(value) != nil { return value }
        return SQLText.string(value, dialect)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines (no Foundation needed).
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
