import PipecModel

extension Lowering {
    /// `full` on PostgreSQL and SQLite: build the new contents into `t__new` while readers keep using `t`, then
    /// replace `t`'s contents from it in one transaction, then drop `t__new`.
    ///
    /// The swap copies rows instead of renaming tables on purpose: a view on `t` would follow a renamed table
    /// (PostgreSQL binds views to the table, not its name, and refuses to drop it; SQLite rewrites the view's
    /// text on RENAME), and a rename would lose grants, indexes and PostgreSQL partitions. Readers see the old
    /// rows until COMMIT and the new ones after it.
    static func fullTransactional(_ target: LoweringTarget, source: RowSource) -> [PlanStep] {
        let d = target.dialect
        let columns = target.columnNames
        var steps: [PlanStep] = []
        let built: String
        switch source {
        case .table(let name):
            built = name
        case .query:
            built = target.name + "__new"
            steps.append(target.sqlStep("build the new contents into \(target.sql("__new"))",
                                        [DDL.dropTable(built, d)] + DDL.createLike(built, target.definition, d)
                                            + [insert(into: SQLText.table(built, d), columns, from: source, d)]))
        }
        let empty = d == .postgres ? "TRUNCATE TABLE \(target.sql())" : "DELETE FROM \(target.sql())"
        steps.append(target.sqlStep("swap the new contents in", transactional: true, [
            empty,
            insert(into: target.sql(), columns, from: .table(built), d),
        ]))
        if case .query = source { steps.append(target.sqlStep("drop the build table", [DDL.dropTable(built, d)])) }
        return steps
    }

    /// `full` on ClickHouse: build into `t__new` (same structure and engine), then swap the two with one
    /// three-way RENAME (atomic; 18.16 has no EXCHANGE TABLES) and drop what is now `t__new`, the old contents.
    static func fullClickHouse(_ target: LoweringTarget, source: RowSource) -> [PlanStep] {
        let d = Dialect.clickhouse
        let new = target.sql("__new"), old = target.sql("__old"), t = target.sql()
        var build = [DDL.dropTable(target.name + "__new", d)]
        build += DDL.createLike(target.name + "__new", target.definition, d)
        build.append(insert(into: new, target.columnNames, from: source, d))
        return [
            target.sqlStep("build the new contents into \(new)", build),
            target.sqlStep("swap \(new) in and drop the old contents", [
                "RENAME TABLE \(t) TO \(old), \(new) TO \(t), \(old) TO \(new)",
                "DROP TABLE \(new)",
            ]),
        ]
    }
}
