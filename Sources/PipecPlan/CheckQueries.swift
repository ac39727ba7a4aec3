import PipecModel
import PipecSchedule

/// The table a set of checks runs against, and the rows they look at.
struct CheckTarget: Sendable {
    let table: Table
    let resource: String
    let dialect: Dialect
    /// Checks look only at the interval's rows when the table has an interval column.
    let intervalColumn: String?
    let interval: PlanInterval
    let runId: String
    /// Where the rows are checked, when not in the table itself: a load's staging table, so a bad extract fails (or
    /// is quarantined) before anything reaches the table.
    var rowsTable: String? = nil

    var name: String { table.name.value }
    /// The (unquoted) name of the table whose rows the queries read and remediation changes.
    var rowsName: String { rowsTable ?? name }

    /// `FROM t` — with FINAL on ClickHouse ReplacingMergeTree tables, so checks see one row per key, as
    /// readers do.
    var from: String {
        let replacing = dialect == .clickhouse && ClickHouseEngine(table.engine?.value).isReplacing
        return "FROM \(SQLText.table(rowsName, dialect))\(replacing ? " FINAL" : "")"
    }

    /// The interval condition, when checks are restricted to it.
    var scope: String? {
        intervalColumn.map { SQLText.intervalFilter($0, interval, dialect, columnType: table.column($0)?.type.value) }
    }

    func whereClause(_ condition: String?) -> String {
        let parts = [scope, condition].compactMap { $0 }
        return parts.isEmpty ? "" : "\nWHERE " + parts.joined(separator: " AND ")
    }
}

/// Turns table checks into queries. Every check query returns one row whose first column, `violations`, is 0
/// when the check passes; aggregate checks add `observed` (the row count, the newest value) for the log.
/// Row-level checks also get a sample query for the report and, under `on_bad_rows`, remediation steps.
enum CheckQueries {
    /// How many offending rows a report shows.
    static let sampleLimit = 10

    /// `expression` is the rendered text of an `expression` check (nil for other rules).
    static func step(_ check: Check, target: CheckTarget, expression: String?) -> CheckStep {
        let d = target.dialect
        let c = { (name: String) in SQLText.column(name, d) }
        let count = SQLText.countAll(d)
        switch check.rule {
        case .notNull(let columns):
            let names = columns.map(\.value)
            let condition = names.map { SQLText.isNull(c($0), d) }.joined(separator: " OR ")
            return rowLevel(check, target, condition: names.count > 1 ? "(\(condition))" : condition,
                            assertion: "\(names.joined(separator: ", ")) \(names.count > 1 ? "are" : "is") never NULL")
        case .acceptedValues(let column, let values):
            let type = target.table.column(column.value)?.type.value
            let list = values.map { ColumnFacts.literal($0, columnType: type, d) }.joined(separator: ", ")
            return rowLevel(check, target, condition: "\(c(column.value)) NOT IN (\(list))",
                            assertion: "\(column.value) is one of \(values.joined(separator: ", "))")
        case .expression:
            let text = SQLText.trimmedQuery(expression ?? "")
            return rowLevel(check, target, condition: "NOT (\(text))", assertion: "every row satisfies \(text)")
        case .unique(let columns):
            let names = columns.map(\.value)
            let keys = SQLText.columns(names, d)
            let nullable = names.filter { n in target.table.column(n).map { ColumnFacts.isNullable($0, in: target.table, d) } ?? false }
            // As in SQL's UNIQUE, a row with a NULL key column conflicts with nothing.
            let notNull = nullable.isEmpty ? nil : "NOT (" + nullable.map { SQLText.isNull(c($0), d) }.joined(separator: " OR ") + ")"
            let grouped = "SELECT \(keys) \(target.from)\(target.whereClause(notNull))\nGROUP BY \(keys)\nHAVING \(count) > 1"
            let violations = "SELECT \(count) AS violations\nFROM (\n\(grouped)\n) AS duplicated"
            let sample = "SELECT \(keys), \(count) AS duplicates \(target.from)\(target.whereClause(notNull))\nGROUP BY \(keys)\nHAVING \(count) > 1\nLIMIT \(sampleLimit)"
            return CheckStep(name: check.rule.name, table: target.name, severity: check.severity,
                             assertion: "no two rows share \(names.joined(separator: ", "))",
                             probe: .query(violations: PlanQuery(resource: target.resource, dialect: d, sql: violations), sample: sample, sampleLimit: sampleLimit),
                             onViolation: .fail, remediation: [])
        case .rowCount(let min, let max):
            var bounds: [String] = []
            if let min { bounds.append("observed < \(min)") }
            if let max { bounds.append("observed > \(max)") }
            let test = bounds.isEmpty ? "1 = 0" : bounds.joined(separator: " OR ")
            let sql = "SELECT CASE WHEN \(test) THEN 1 ELSE 0 END AS violations, observed\nFROM (SELECT \(count) AS observed \(target.from)\(target.whereClause(nil))) AS counted"
            let range = min == max && min != nil ? "exactly \(min ?? 0)"
                : [min.map { "at least \($0)" }, max.map { "at most \($0)" }].compactMap { $0 }.joined(separator: " and ")
            return aggregate(check, target, sql: sql, assertion: "the \(target.scope == nil ? "table's" : "interval's") row count is \(range.isEmpty ? "anything" : range)")
        case .freshness(let column, let maxAge):
            let threshold = target.interval.end.adding(seconds: -(maxAge / 1000))
            let literal = SQLText.timestamp(threshold, d)
            let sql = "SELECT CASE WHEN \(SQLText.isNull("observed", d)) OR observed < \(literal) THEN 1 ELSE 0 END AS violations, observed\n"
                + "FROM (SELECT max(\(c(column.value))) AS observed \(target.from)) AS newest"
            return aggregate(check, target, sql: sql,
                             assertion: "the newest \(column.value) is at most \(SpecDuration(milliseconds: maxAge)) older than the interval end (not before \(threshold))")
        }
    }

    private static func rowLevel(_ check: Check, _ target: CheckTarget, condition: String, assertion: String) -> CheckStep {
        let d = target.dialect
        let violations = "SELECT \(SQLText.countAll(d)) AS violations \(target.from)\(target.whereClause(condition))"
        let sample = "SELECT * \(target.from)\(target.whereClause(condition))\nLIMIT \(sampleLimit)"
        // on_bad_rows applies to error checks on rows: warnings never touch data.
        let policy = check.severity == .error ? target.table.onBadRows : .fail
        return CheckStep(name: check.rule.name, table: target.name, severity: check.severity, assertion: assertion,
                         probe: .query(violations: PlanQuery(resource: target.resource, dialect: d, sql: violations), sample: sample, sampleLimit: sampleLimit),
                         onViolation: policy, remediation: Quarantine.remediation(policy, check: check.rule.name, reason: "violates: \(assertion)",
                                                                                  target: target, condition: condition))
    }

    private static func aggregate(_ check: Check, _ target: CheckTarget, sql: String, assertion: String) -> CheckStep {
        CheckStep(name: check.rule.name, table: target.name, severity: check.severity, assertion: assertion,
                  probe: .query(violations: PlanQuery(resource: target.resource, dialect: target.dialect, sql: sql), sample: nil, sampleLimit: 0),
                  onViolation: .fail, remediation: [])
    }
}
