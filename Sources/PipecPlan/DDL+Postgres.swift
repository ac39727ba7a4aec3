import PipecModel

extension DDL {
    /// `CREATE TABLE [IF NOT EXISTS] schema.t (cols, PRIMARY KEY (...)) [PARTITION BY RANGE (...)]`.
    ///
    /// Types are written as given; `nullable: false` adds NOT NULL. A range-partitioned table gets a DEFAULT
    /// partition at once: without one every insert fails until someone creates partitions, and pipec's
    /// strategies work per interval, not per partition.
    static func postgresTable(_ table: TableDefinition, ifNotExists: Bool) -> [String] {
        let lines = table.columns.map { c -> String in
            var line = "\(SQLText.column(c.name, .postgres)) \(c.type.trimmingSpaces)"
            if c.nullable == false { line += " NOT NULL" }
            if let d = c.defaultExpression { line += " DEFAULT \(d)" }
            return line
        }
        let constraints = table.primaryKey.isEmpty ? [] : ["PRIMARY KEY (\(SQLText.columns(table.primaryKey, .postgres)))"]
        let name = SQLText.table(table.name, .postgres)
        var create = "CREATE TABLE \(ifNotExists ? "IF NOT EXISTS " : "")\(name) " + columnBlock(lines, extra: constraints)
        guard let partition = table.partitionBy else { return [create] }
        create += "\nPARTITION BY RANGE (\(partition))"
        let defaultPartition = SQLText.table(table.name + "__default", .postgres)
        return [create, "CREATE TABLE \(ifNotExists ? "IF NOT EXISTS " : "")\(defaultPartition) PARTITION OF \(name) DEFAULT"]
    }
}
