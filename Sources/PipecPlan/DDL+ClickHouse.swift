import PipecModel

extension DDL {
    /// `CREATE TABLE [IF NOT EXISTS] db.t (cols) ENGINE = X PARTITION BY ... ORDER BY ...`.
    ///
    /// Types are written as the spec gives them (`LowCardinality(String)` included); `nullable: true` wraps a
    /// type in `Nullable(...)` (inside `LowCardinality`, the only order ClickHouse accepts). MergeTree engines
    /// always get an ORDER BY, `tuple()` when none is given, because ClickHouse requires one. The spec's
    /// `primary_key` is not written: ClickHouse's PRIMARY KEY must be a prefix of ORDER BY and only tunes the
    /// index, so pipec uses it for upsert/scd2 keys and leaves the storage key to `order_by`.
    static func clickHouseTable(_ table: TableDefinition, ifNotExists: Bool) -> String {
        let lines = table.columns.map { c -> String in
            var line = "\(SQLText.column(c.name, .clickhouse)) \(clickHouseType(c))"
            if let d = c.defaultExpression { line += " DEFAULT \(d)" }
            return line
        }
        return "CREATE TABLE \(ifNotExists ? "IF NOT EXISTS " : "")\(SQLText.table(table.name, .clickhouse))\n"
            + columnBlock(lines) + "\n" + clickHouseStorage(table)
    }

    static func clickHouseType(_ column: ColumnDefinition) -> String {
        let type = column.type.trimmingSpaces
        guard column.nullable == true, !type.hasPrefix("Nullable("), !type.contains("(Nullable(") else { return type }
        if type.hasPrefix("LowCardinality("), type.hasSuffix(")") {
            return "LowCardinality(Nullable(\(type.dropFirst("LowCardinality(".count).dropLast())))"
        }
        return "Nullable(\(type))"
    }

    /// `ENGINE = ... [PARTITION BY ...] [ORDER BY ...]`, shared by tables and materialized views.
    static func clickHouseStorage(_ table: TableDefinition) -> String {
        let engine = ClickHouseEngine(table.engine)
        var out = "ENGINE = \(engine.text)"
        guard engine.isMergeTree else { return out }
        if let p = table.partitionBy { out += "\nPARTITION BY \(p)" }
        out += "\nORDER BY \(clickHouseOrderBy(table.orderBy))"
        return out
    }

    /// One key bare, several as a tuple, none as `tuple()`. Plain names are quoted like columns; expressions
    /// (`toDate(ts)`) are written as given.
    static func clickHouseOrderBy(_ keys: [String]) -> String {
        let written = keys.map { k in k.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? SQLText.column(k, .clickhouse) : k }
        switch written.count {
        case 0: return "tuple()"
        case 1: return written[0]
        default: return "(" + written.joined(separator: ", ") + ")"
        }
    }
}
