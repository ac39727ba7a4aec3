import PipecDiagnostics
import PipecModel

/// The table a strategy writes, with what the lowering needs to know about it.
struct LoweringTarget: Sendable {
    let table: Table
    let definition: TableDefinition
    let resource: String
    let dialect: Dialect
    let strategy: Strategy
    /// The column whose values fall in the run's interval (append / replace_interval), if any.
    let intervalColumn: String?

    init(table: Table, resource: String, dialect: Dialect, strategy: Strategy, intervalColumn: String?) {
        self.table = table
        self.definition = TableDefinition(table)
        self.resource = resource
        self.dialect = dialect
        self.strategy = strategy
        self.intervalColumn = intervalColumn
    }

    var name: String { table.name.value }
    var columnNames: [String] { table.columns.map(\.name.value) }

    /// The SQL name of the table, or of a table derived from it (`__new`, `__stage_<tag>`).
    func sql(_ suffix: String = "") -> String { SQLText.table(name + suffix, dialect) }

    func column(_ name: String) -> Column? { table.column(name) }

    var writer: StepWriter { StepWriter(resource: resource, dialect: dialect) }

    func sqlStep(_ purpose: String, transactional: Bool = false, _ statements: [String], note: String? = nil) -> PlanStep {
        writer.sql(purpose, transactional: transactional, statements, note: note)
    }
}

/// Run-wide facts every lowering uses.
struct LoweringContext: Sendable {
    let interval: PlanInterval
    /// 8 hex digits of the run id's SHA-256: names the run's staging tables, so two runs never share one and a
    /// retry of a run finds (and first drops) its own leftovers.
    let runTag: String

    var stageSuffix: String { "__stage_" + runTag }
    var loadSuffix: String { "__load_" + runTag }
}

/// Where a strategy's new rows come from.
enum RowSource: Sendable, Hashable {
    /// A rendered SELECT (a table build).
    case query(String)
    /// A table already holding exactly the new rows with the target's column names (a load's staging table),
    /// by spec name. The lowering reads it but does not drop it: the load does.
    case table(String)
}

/// Why a table cannot be lowered as written (reported as a compile error at the strategy).
struct LoweringProblem: Error, Sendable {
    var message: String
    var help: String?
}

/// Turns each build strategy into the concrete, idempotent statement sequence of its dialect (SPEC.md's
/// strategy table). Each strategy lives in its own file; this is the dispatcher and the shared pieces.
enum Lowering {
    static func steps(_ target: LoweringTarget, source: RowSource, context: LoweringContext) throws(LoweringProblem) -> [PlanStep] {
        switch (target.strategy, target.dialect) {
        case (_, .athena):
            throw LoweringProblem(message: "pipec does not build Athena tables ('\(target.name)')",
                                  help: "declare the table external: true and maintain it with sql tasks")
        case (.full, .clickhouse): return fullClickHouse(target, source: source)
        case (.full, _): return fullTransactional(target, source: source)
        case (.append, _), (.replaceInterval, _):
            guard let column = target.intervalColumn else { return [plainInsert(target, source: source)] }
            if target.dialect == .clickhouse { return try intervalClickHouse(target, column: column, source: source, context: context) }
            return [intervalTransactional(target, column: column, source: source, context: context)]
        case (.upsert, .clickhouse): return [upsertClickHouse(target, source: source)]
        case (.upsert, _): return [try upsertOnConflict(target, source: source)]
        case (.scd2, .clickhouse): return try scd2ClickHouse(target, source: source, context: context)
        case (.scd2, _): return [try scd2Transactional(target, source: source, context: context)]
        }
    }

    /// `SELECT <columns> ...` reading the new rows from the source.
    static func select(_ columns: [String], from source: RowSource, _ dialect: Dialect) -> String {
        switch source {
        case .query(let q): return SQLText.select(columns, from: q, dialect)
        case .table(let t): return "SELECT \(SQLText.columns(columns, dialect))\nFROM \(SQLText.table(t, dialect))"
        }
    }

    /// `INSERT INTO t (cols)\nSELECT cols FROM <source>`.
    static func insert(into table: String, _ columns: [String], from source: RowSource, _ dialect: Dialect) -> String {
        "INSERT INTO \(table) (\(SQLText.columns(columns, dialect)))\n" + select(columns, from: source, dialect)
    }

    /// Append without an interval column (a staging table filled by several units): rerunning appends again,
    /// which is safe only because staging tables are recreated empty at the start of each run.
    static func plainInsert(_ target: LoweringTarget, source: RowSource) -> PlanStep {
        let note = target.table.staging ? nil : "no interval_column: rerunning this interval appends its rows again"
        return target.sqlStep("insert the new rows", [insert(into: target.sql(), target.columnNames, from: source, target.dialect)], note: note)
    }
}

/// Writes steps for one database resource.
struct StepWriter: Sendable {
    let resource: String
    let dialect: Dialect

    func sql(_ purpose: String, transactional: Bool = false, _ statements: [String], note: String? = nil) -> PlanStep {
        .sql(SQLStep(resource: resource, dialect: dialect, purpose: purpose, transactional: transactional && dialect != .clickhouse,
                     statements: statements, note: note))
    }

    /// Deleting rows of a table (by spec name): one DELETE on PostgreSQL/SQLite; on ClickHouse an
    /// `ALTER TABLE ... DELETE` mutation plus a wait for it, because 18.16 cannot run mutations synchronously and
    /// later steps must not see the rows.
    func deleteWhere(table name: String, _ condition: String, purpose: String) -> [PlanStep] {
        let table = SQLText.table(name, dialect)
        switch dialect {
        case .clickhouse:
            return [sql(purpose + " (a mutation)", ["ALTER TABLE \(table) DELETE WHERE \(condition)"]), waitForMutations(table: name)]
        case .postgres, .sqlite, .athena:
            return [sql(purpose, ["DELETE FROM \(table) WHERE \(condition)"])]
        }
    }

    /// Polls `system.mutations` (present in 18.16 and 26.x) until no mutation of the table is pending.
    func waitForMutations(table name: String) -> PlanStep {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        let database = parts.count == 2 ? SQLText.string(parts[0], .clickhouse) : "currentDatabase()"
        let base = SQLText.string(parts.last ?? name, .clickhouse)
        return .wait(WaitStep(resource: resource, dialect: .clickhouse, purpose: "wait until the mutation has finished",
                              query: "SELECT count() FROM system.mutations WHERE database = \(database) AND table = \(base) AND is_done = 0",
                              pollIntervalMilliseconds: 1000))
    }
}
