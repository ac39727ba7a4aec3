import PipecModel

extension DDL {
    /// `CREATE TABLE [IF NOT EXISTS] "schema.t" (cols, PRIMARY KEY (...))`. SQLite has no schemas, so a
    /// `schema.name` table is the one table `"schema.name"` (as `ref()` writes it); types are written as given
    /// (SQLite maps them to affinities) and `nullable: false` adds NOT NULL.
    static func sqliteTable(_ table: TableDefinition, ifNotExists: Bool) -> String {
        let lines = table.columns.map { c -> String in
            var line = "\(SQLText.column(c.name, .sqlite)) \(c.type.trimmingSpaces)"
            if c.nullable == false { line += " NOT NULL" }
            if let d = c.defaultExpression { line += " DEFAULT \(d)" }
            return line
        }
        let constraints = table.primaryKey.isEmpty ? [] : ["PRIMARY KEY (\(SQLText.columns(table.primaryKey, .sqlite)))"]
        return "CREATE TABLE \(ifNotExists ? "IF NOT EXISTS " : "")\(SQLText.table(table.name, .sqlite)) " + columnBlock(lines, extra: constraints)
    }
}
