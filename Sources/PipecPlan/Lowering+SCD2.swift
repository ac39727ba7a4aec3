import PipecModel

/// The columns an SCD2 lowering works with.
struct SCD2Shape: Sendable {
    /// The business key (primary_key; on ClickHouse the order_by columns when no primary_key is given).
    var keys: [String]
    var tracked: [String]
    var validFrom: String
    var validTo: String
    var isCurrent: String
    /// The ClickHouse version column (version_column, or the ReplacingMergeTree's argument), if any.
    var version: String?
    /// Every column the SELECT provides: the table's columns except the four SCD2 ones, in table order.
    var attributes: [String]

    init(_ target: LoweringTarget) {
        let build = target.table.build
        validFrom = build?.validFrom ?? "valid_from"
        validTo = build?.validTo ?? "valid_to"
        isCurrent = build?.isCurrent ?? "is_current"
        version = build?.versionColumn?.value ?? (target.dialect == .clickhouse ? ClickHouseEngine(target.table.engine?.value).versionColumn : nil)
        let managed = Set([validFrom, validTo, isCurrent] + (version.map { [$0] } ?? []))
        tracked = build?.trackedColumns.map(\.value) ?? []
        attributes = target.columnNames.filter { !managed.contains($0) }
        let pk = target.table.primaryKey.map(\.value)
        keys = pk.isEmpty ? target.table.orderBy.map(\.value).filter { !managed.contains($0) } : pk
    }
}

extension Lowering {
    /// The value a version ends with: NULL when `valid_to` is nullable, else a far-future timestamp.
    static func openEnd(_ target: LoweringTarget, _ shape: SCD2Shape) -> String {
        let column = target.column(shape.validTo)
        if let column, ColumnFacts.isNullable(column, in: target.table, target.dialect) { return "NULL" }
        switch target.dialect {
        case .clickhouse: return "toDateTime('2100-01-01 00:00:00', 'UTC')"
        case .postgres: return "TIMESTAMPTZ '9999-12-31 00:00:00+00'"
        case .sqlite, .athena: return "'9999-12-31 00:00:00'"
        }
    }

    /// `scd2` on PostgreSQL and SQLite, in one transaction. Versions are spliced in at the interval start S rather
    /// than only appended after the current one, so rerunning any interval — the latest, an older one on its own, or
    /// a whole range in order — leaves exactly the history a first run made:
    /// stage the SELECT; undo an earlier attempt at this interval (delete the versions it opened; a version it closed
    /// ends again where that key's next version starts, or is open and current when none follows); split the version
    /// covering S for every key whose tracked columns changed (the new version from S inherits its end and
    /// currency); open a version at S for staged keys no version covers, ending where their next version starts.
    static func scd2Transactional(_ target: LoweringTarget, source: RowSource, context: LoweringContext) throws(LoweringProblem) -> PlanStep {
        let d = target.dialect
        let shape = SCD2Shape(target)
        try requireKeys(target, shape)
        let t = target.sql()
        let start = SQLText.timestamp(context.interval.start, d)
        let end = openEnd(target, shape)
        let currentType = target.column(shape.isCurrent)?.type.value
        let yes = SQLText.flag(true, columnType: currentType, d), no = SQLText.flag(false, columnType: currentType, d)
        let c = { (name: String) in SQLText.column(name, d) }

        var statements: [String] = []
        let stageName: String
        switch source {
        case .table(let name):
            stageName = name
        case .query:
            stageName = target.name + context.stageSuffix
            let columns = shape.attributes.compactMap { target.column($0) }.map(ColumnDefinition.init)
            statements += [DDL.dropTable(stageName, d)] + DDL.createLike(stageName, target.definition, d, columns: columns)
            statements.append(insert(into: SQLText.table(stageName, d), shape.attributes, from: source, d))
        }
        let stage = SQLText.table(stageName, d)
        let keyMatch = { (left: String, right: String) in shape.keys.map { "\(left).\(c($0)) = \(right).\(c($0))" }.joined(separator: " AND ") }
        let changed = { (row: String) in
            shape.tracked.map { name -> String in
                let nullable = target.column(name).map { ColumnFacts.isNullable($0, in: target.table, d) } ?? true
                return SQLText.differs("s.\(c(name))", "\(row).\(c(name))", nullable: nullable, d)
            }.joined(separator: " OR ")
        }
        let changedOrNever = { (row: String) in shape.tracked.isEmpty ? "1 = 0" : changed(row) }
        let openEndIsNull = end == "NULL"
        // Whether the version in `row` is still valid at S (its end is after S, or open).
        let endsAfterStart = { (row: String) in
            openEndIsNull ? "(\(row).\(c(shape.validTo)) > \(start) OR \(row).\(c(shape.validTo)) IS NULL)" : "\(row).\(c(shape.validTo)) > \(start)"
        }
        // Where the key of `row` has its next version after S, and whether it has one.
        let nextStart = { (row: String) in "(SELECT min(n.\(c(shape.validFrom))) FROM \(t) AS n WHERE \(keyMatch("n", row)) AND n.\(c(shape.validFrom)) > \(start))" }
        let hasNext = { (row: String) in "EXISTS (SELECT 1 FROM \(t) AS n WHERE \(keyMatch("n", row)) AND n.\(c(shape.validFrom)) > \(start))" }
        let untilNext = { (row: String) in openEndIsNull ? nextStart(row) : "coalesce(\(nextStart(row)), \(end))" }
        let currentUnlessNext = { (row: String) in "CASE WHEN \(hasNext(row)) THEN \(no) ELSE \(yes) END" }
        let allColumns = SQLText.columns(shape.attributes + [shape.validFrom, shape.validTo, shape.isCurrent], d)
        let attributes = shape.attributes.map { "s.\(c($0))" }.joined(separator: ", ")

        statements.append("DELETE FROM \(t) WHERE \(c(shape.validFrom)) = \(start)")
        statements.append("""
            UPDATE \(t) SET \(c(shape.validTo)) = \(untilNext(t)), \(c(shape.isCurrent)) = \(currentUnlessNext(t))
            WHERE \(c(shape.validTo)) = \(start)
            """)
        statements.append("""
            INSERT INTO \(t) (\(allColumns))
            SELECT \(attributes), \(start), cov.\(c(shape.validTo)), cov.\(c(shape.isCurrent))
            FROM \(stage) AS s
            JOIN \(t) AS cov ON \(keyMatch("cov", "s")) AND cov.\(c(shape.validFrom)) < \(start) AND \(endsAfterStart("cov"))
            WHERE \(changedOrNever("cov"))
            """)
        statements.append("""
            UPDATE \(t) SET \(c(shape.validTo)) = \(start), \(c(shape.isCurrent)) = \(no)
            WHERE \(c(shape.validFrom)) < \(start) AND \(endsAfterStart(t)) AND EXISTS (
                SELECT 1 FROM \(stage) AS s
                WHERE \(keyMatch("s", t)) AND (\(changedOrNever(t)))
            )
            """)
        statements.append("""
            INSERT INTO \(t) (\(allColumns))
            SELECT \(attributes), \(start), \(untilNext("s")), \(currentUnlessNext("s"))
            FROM \(stage) AS s
            WHERE NOT EXISTS (
                SELECT 1 FROM \(t) AS cur
                WHERE \(keyMatch("cur", "s")) AND cur.\(c(shape.validFrom)) <= \(start) AND \(endsAfterStart("cur"))
            )
            """)
        if case .query = source { statements.append(DDL.dropTable(stageName, d)) }
        return target.sqlStep("apply the interval's changes to \(shape.keys.joined(separator: ", ")) (SCD type 2)", transactional: true, statements)
    }

    /// `scd2` on ClickHouse, with inserts only (no mutations): the table is a ReplacingMergeTree whose ORDER BY is
    /// the key plus `valid_from`, so a row with the same key and `valid_from` and a newer version replaces one.
    /// Stage the SELECT; close changed keys by inserting a copy of their current version with `valid_to` = the
    /// interval start and not current; then open a version for every staged key that has no current version
    /// left. The version is the interval start (as a number or timestamp, per the column's type), so later
    /// intervals win; a rerun inserts equal versions, and ClickHouse keeps the last inserted.
    static func scd2ClickHouse(_ target: LoweringTarget, source: RowSource, context: LoweringContext) throws(LoweringProblem) -> [PlanStep] {
        let d = Dialect.clickhouse
        let shape = SCD2Shape(target)
        try requireKeys(target, shape)
        let engine = ClickHouseEngine(target.table.engine?.value)
        guard engine.isReplacing else {
            throw LoweringProblem(message: "scd2 on ClickHouse table '\(target.name)' needs a ReplacingMergeTree engine",
                                  help: "set engine: ReplacingMergeTree(<version column>) and order_by: [<keys>, \(shape.validFrom)]")
        }
        let order = target.table.orderBy.map(\.value)
        let managed = [shape.validTo, shape.isCurrent] + (shape.version.map { [$0] } ?? [])
        guard order.contains(shape.validFrom), !order.contains(where: managed.contains), shape.keys.allSatisfy(order.contains) else {
            throw LoweringProblem(message: "scd2 on ClickHouse table '\(target.name)' needs order_by to be its keys plus \(shape.validFrom)",
                                  help: "order_by: [\((shape.keys + [shape.validFrom]).joined(separator: ", "))]")
        }
        let c = { (name: String) in SQLText.column(name, d) }
        let t = target.sql()
        let start = SQLText.timestamp(context.interval.start, d)
        let end = openEnd(target, shape)
        var managedColumns = [shape.validFrom, shape.validTo, shape.isCurrent]
        var versionValue: [String] = []
        if let v = shape.version {
            managedColumns.append(v)
            let type = target.column(v)?.type.value ?? "UInt64"
            versionValue = [ColumnFacts.baseType(type).hasPrefix("date") ? start : String(context.interval.start.seconds)]
        }
        var steps: [PlanStep] = []
        let stageName: String
        switch source {
        case .table(let name):
            stageName = name
        case .query(let query):
            stageName = target.name + context.stageSuffix
            steps.append(target.sqlStep("stage the interval's rows", [
                DDL.dropTable(stageName, d),
                "CREATE TABLE \(SQLText.table(stageName, d)) ENGINE = Memory AS\n" + SQLText.select(shape.attributes, from: query, d),
            ]))
        }
        let stage = SQLText.table(stageName, d)
        let insertColumns = SQLText.columns(shape.attributes + managedColumns, d)
        let current = "SELECT \(SQLText.columns(shape.attributes, d)), \(c(shape.validFrom)) FROM \(t) FINAL WHERE \(c(shape.isCurrent)) = 1"
        let renamedTracked = shape.tracked.map { "\(c($0)) AS \(c("_pipec_new_" + $0))" }
        let changed = shape.tracked.map { name -> String in
            let nullable = target.column(name).map { ColumnFacts.isNullable($0, in: target.table, d) } ?? false
            return SQLText.differs(c(name), c("_pipec_new_" + name), nullable: nullable, d)
        }.joined(separator: " OR ")
        let keys = SQLText.columns(shape.keys, d)
        let close = """
            INSERT INTO \(t) (\(insertColumns))
            SELECT \(SQLText.columns(shape.attributes, d)), \(c(shape.validFrom)), \(start), 0\(versionValue.map { ", " + $0 }.joined())
            FROM (\(current)) AS cur
            ANY INNER JOIN (SELECT \(([keys] + renamedTracked).joined(separator: ", ")) FROM \(stage)) AS incoming USING (\(keys))
            WHERE \(changed.isEmpty ? "0" : changed)
            """
        let open = """
            INSERT INTO \(t) (\(insertColumns))
            SELECT \(SQLText.columns(shape.attributes, d)), \(start), \(end), 1\(versionValue.map { ", " + $0 }.joined())
            FROM \(stage) AS incoming
            ANY LEFT JOIN (SELECT \(keys), 1 AS _pipec_found FROM \(t) FINAL WHERE \(c(shape.isCurrent)) = 1) AS cur USING (\(keys))
            WHERE ifNull(_pipec_found, 0) = 0
            """
        var apply = [close, open]
        if case .query = source { apply.append(DDL.dropTable(stageName, d)) }
        steps.append(target.sqlStep("close changed versions, then open new ones for \(shape.keys.joined(separator: ", ")) (SCD type 2)", apply,
                                    note: "readers see one row per version with FINAL"))
        return steps
    }

    private static func requireKeys(_ target: LoweringTarget, _ shape: SCD2Shape) throws(LoweringProblem) {
        guard !shape.keys.isEmpty else {
            throw LoweringProblem(message: "scd2 on '\(target.name)' needs a primary_key", help: "add primary_key: [column, ...]")
        }
        for name in [shape.validFrom, shape.validTo, shape.isCurrent] + shape.keys + shape.tracked where target.column(name) == nil {
            throw LoweringProblem(message: "scd2 on '\(target.name)' needs a column '\(name)'",
                                  help: "declare it under columns:, or name the existing one with valid_from / valid_to / is_current")
        }
    }
}
