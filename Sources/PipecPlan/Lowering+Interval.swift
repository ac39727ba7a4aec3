import PipecModel

extension Lowering {
    /// `append` and `replace_interval` on PostgreSQL and SQLite: delete the interval's rows and insert the new
    /// ones in one transaction, so a rerun replaces instead of duplicating and readers never see a half-done
    /// interval. (For `append` the SELECT is expected to produce only rows of the interval.)
    static func intervalTransactional(_ target: LoweringTarget, column: String, source: RowSource, context: LoweringContext) -> PlanStep {
        let d = target.dialect
        return target.sqlStep("replace the interval's rows", transactional: true, [
            "DELETE FROM \(target.sql()) WHERE \(SQLText.intervalFilter(column, context.interval, d, columnType: target.column(column)?.type.value))",
            insert(into: target.sql(), target.columnNames, from: source, d),
        ])
    }

    /// `append` and `replace_interval` on ClickHouse.
    ///
    /// When the partition key lines up with the interval (see `PartitionAlignment`): fill a staging table of the
    /// same structure with the new rows plus the rows of each partly covered partition that lie outside the
    /// interval, check that every staged row belongs to a partition being replaced, then `REPLACE PARTITION`
    /// each one from the staging table — atomic per partition, and a rerun gives the same partitions.
    ///
    /// Otherwise: stage the new rows, delete the interval with a mutation, wait for it, insert the staged rows.
    /// Not atomic (readers can see the interval empty between the delete and the insert), but the slow SELECT
    /// runs before the delete, so the window is one local copy.
    static func intervalClickHouse(_ target: LoweringTarget, column: String, source: RowSource, context: LoweringContext) throws(LoweringProblem) -> [PlanStep] {
        let d = Dialect.clickhouse
        let engine = ClickHouseEngine(target.table.engine?.value)
        let type = target.column(column)?.type.value
        let filter = SQLText.intervalFilter(column, context.interval, d, columnType: type)
        var steps: [PlanStep] = []

        // The staging table: the load's own table, or one filled from the SELECT.
        let stageName: String
        var stage: [String] = []
        switch source {
        case .table(let name):
            stageName = name
        case .query:
            stageName = target.name + context.stageSuffix
            stage = [DDL.dropTable(stageName, d)] + DDL.createLike(stageName, target.definition, d)
                + [insert(into: SQLText.table(stageName, d), target.columnNames, from: source, d)]
        }
        let stageSQL = SQLText.table(stageName, d)

        if engine.isMergeTree, let alignment = PartitionAlignment.analyze(partitionBy: target.table.partitionBy?.value, column: column, interval: context.interval.seen(by: type)),
           alignment.worthReplacing {
            let partial = alignment.partial
            if !partial.isEmpty {
                let ids = partial.map { String($0.id) }.joined(separator: ", ")
                stage.append("INSERT INTO \(stageSQL)\nSELECT * FROM \(target.sql())\nWHERE \(alignment.expression) IN (\(ids)) AND NOT (\(filter))")
            }
            if !stage.isEmpty {
                steps.append(target.sqlStep(partial.isEmpty ? "stage the interval's rows" : "stage the interval's rows and the rest of its partitions", stage))
            }
            steps.append(.guardQuery(GuardStep(
                resource: target.resource, dialect: d,
                message: "rows staged for \(target.name) fall outside the partitions being replaced (\(alignment.idList)); is the server's time zone UTC?",
                query: "SELECT count() FROM \(stageSQL) WHERE \(alignment.expression) NOT IN (\(alignment.idList))")))
            var swap = alignment.partitions.map { "ALTER TABLE \(target.sql()) REPLACE PARTITION \($0.id) FROM \(stageSQL)" }
            if case .query = source { swap.append(DDL.dropTable(stageName, d)) }
            steps.append(target.sqlStep("replace partition\(alignment.partitions.count == 1 ? "" : "s") \(alignment.idList)", swap))
            return steps
        }

        guard engine.isMergeTree else {
            throw LoweringProblem(message: "\(target.strategy.rawValue) on ClickHouse table '\(target.name)' needs a MergeTree engine (it deletes the interval's rows)",
                                  help: "use a *MergeTree engine, or strategy full")
        }
        if !stage.isEmpty { steps.append(target.sqlStep("stage the interval's rows", stage)) }
        steps += target.writer.deleteWhere(table: target.name, filter, purpose: "delete the interval's rows")
        var copy = ["INSERT INTO \(target.sql()) (\(SQLText.columns(target.columnNames, d)))\nSELECT \(SQLText.columns(target.columnNames, d)) FROM \(stageSQL)"]
        if case .query = source { copy.append(DDL.dropTable(stageName, d)) }
        steps.append(target.sqlStep("insert the staged rows", copy,
                                    note: "not atomic: until this insert, readers see the interval empty (the partition key \(target.table.partitionBy.map { "'\($0.value)'" } ?? "(none)") does not line up with the interval)"))
        return steps
    }
}
