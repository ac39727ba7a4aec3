import PipecModel

extension Lowering {
    /// `upsert` on PostgreSQL and SQLite: one `INSERT ... ON CONFLICT (pk) DO UPDATE SET` every non-key column
    /// to the incoming value (`DO NOTHING` when every column is a key). One statement, so atomic on its own.
    /// SQLite needs a WHERE in the SELECT of an upsert to parse it (its documented ambiguity with a join's ON).
    static func upsertOnConflict(_ target: LoweringTarget, source: RowSource) throws(LoweringProblem) -> PlanStep {
        let d = target.dialect
        let keys = target.table.primaryKey.map(\.value)
        guard !keys.isEmpty else {
            throw LoweringProblem(message: "upsert into '\(target.name)' needs a primary_key", help: "add primary_key: [column, ...]")
        }
        let others = target.columnNames.filter { !keys.contains($0) }
        var sql = insert(into: target.sql(), target.columnNames, from: source, d)
        if d == .sqlite { sql += "\nWHERE true" }
        sql += "\nON CONFLICT (\(SQLText.columns(keys, d))) DO "
        if others.isEmpty {
            sql += "NOTHING"
        } else {
            sql += "UPDATE SET " + others.map { "\(SQLText.column($0, d)) = EXCLUDED.\(SQLText.column($0, d))" }.joined(separator: ", ")
        }
        return target.sqlStep("merge the new rows on \(keys.joined(separator: ", "))", [sql])
    }

    /// `upsert` on ClickHouse: insert into the ReplacingMergeTree, which keeps the newest version of each
    /// ORDER BY key; readers see one row per key with FINAL (pipec's checks and exports use it).
    static func upsertClickHouse(_ target: LoweringTarget, source: RowSource) -> PlanStep {
        target.sqlStep("insert the new versions", [insert(into: target.sql(), target.columnNames, from: source, .clickhouse)],
                       note: "ReplacingMergeTree keeps the newest row per ORDER BY key; read with FINAL")
    }
}
