import PipecModel

/// `<table>__quarantine`: where rows rejected under `on_bad_rows: quarantine` go, with the reason.
///
/// One shape serves both sources of rejected rows. A failing row-level check copies the offending rows (every
/// value as text, so any row fits) and then removes them from the table; a load writes rows it could not parse
/// with their raw text in `_pipec_raw` and NULL values. Each row records which check (or `load`) rejected it,
/// why, and the run and interval, so a rerun first forgets what an earlier attempt at the interval rejected.
enum Quarantine {
    static func tableName(_ table: String) -> String { table + "__quarantine" }

    /// The bookkeeping columns after the table's own.
    static let bookkeeping = ["_pipec_check", "_pipec_reason", "_pipec_raw", "_pipec_run_id", "_pipec_interval_start", "_pipec_quarantined_at"]

    static func definition(for table: Table, _ dialect: Dialect) -> TableDefinition {
        let text: String, timestamp: String
        switch dialect {
        case .clickhouse: (text, timestamp) = ("String", "DateTime")
        case .postgres: (text, timestamp) = ("text", "timestamptz")
        case .sqlite, .athena: (text, timestamp) = ("TEXT", "TEXT")
        }
        let values = table.columns.map { ColumnDefinition(name: $0.name.value, type: dialect == .clickhouse ? "Nullable(String)" : text, nullable: nil) }
        let extra = bookkeeping.map { name in
            ColumnDefinition(name: name, type: name.hasSuffix("_start") || name.hasSuffix("_at") ? timestamp : text,
                             nullable: dialect == .clickhouse ? nil : false)
        }
        return TableDefinition(name: tableName(table.name.value), columns: values + extra, engine: dialect == .clickhouse ? "MergeTree" : nil,
                               orderBy: dialect == .clickhouse ? ["_pipec_interval_start", "_pipec_check"] : [])
    }

    /// The steps that move (quarantine) or drop (skip_with_count) the rows matching `condition` in the checked
    /// rows of `target`; none under `fail`. Run only when the check found violations.
    static func remediation(_ policy: BadRowsPolicy, check: String, reason: String, target: CheckTarget, condition: String) -> [PlanStep] {
        let d = target.dialect
        let writer = StepWriter(resource: target.resource, dialect: d)
        let rows = [target.scope, condition].compactMap { $0 }.joined(separator: " AND ")
        switch policy {
        case .fail:
            return []
        case .skipWithCount:
            return writer.deleteWhere(table: target.rowsName, rows, purpose: "drop the offending rows (they are counted in the check result)")
        case .quarantine:
            let quarantine = tableName(target.name)
            let start = SQLText.timestamp(target.interval.start, d)
            let forget = "\(SQLText.column("_pipec_check", d)) = \(SQLText.string(check, d)) AND \(SQLText.column("_pipec_interval_start", d)) = \(start)"
            let asText = target.table.columns.map { column -> String in
                let c = SQLText.column(column.name.value, d)
                return d == .clickhouse ? "toString(\(c))" : "CAST(\(c) AS \(d == .postgres ? "text" : "TEXT"))"
            }
            let now = d == .sqlite ? "CURRENT_TIMESTAMP" : "now()"
            let copy = "INSERT INTO \(SQLText.table(quarantine, d)) (\(SQLText.columns(target.table.columns.map(\.name.value) + bookkeeping, d)))\n"
                + "SELECT \((asText + [SQLText.string(check, d), SQLText.string(reason, d), "''", SQLText.string(target.runId, d), start, now]).joined(separator: ", "))\n"
                + "FROM \(SQLText.table(target.rowsName, d))\nWHERE \(rows)"
            if d == .clickhouse {
                return writer.deleteWhere(table: quarantine, forget, purpose: "forget rows an earlier attempt at this interval quarantined")
                    + [writer.sql("copy the offending rows to \(SQLText.table(quarantine, d))", [copy])]
                    + writer.deleteWhere(table: target.rowsName, rows, purpose: "remove them from the table")
            }
            return [writer.sql("move the offending rows to \(SQLText.table(quarantine, d))", transactional: true, [
                "DELETE FROM \(SQLText.table(quarantine, d)) WHERE \(forget)",
                copy,
                "DELETE FROM \(SQLText.table(target.rowsName, d)) WHERE \(rows)",
            ])]
        }
    }
}
