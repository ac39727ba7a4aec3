import PipecModel
import PipecSchedule
import PipecTemplate

/// How the plan writes names, literals and small pieces of SQL in each dialect. Table names go through
/// `TableNaming` (what `ref()` renders), literals through `SQLQuoting` and `IntervalFilter`, so generated SQL and
/// rendered templates always agree.
enum SQLText {
    /// A spec table name (`silver.fact_events`) as SQL.
    static func table(_ name: String, _ dialect: Dialect) -> String {
        TableNaming.sql(name, dialect: dialect.sqlDialect)
    }

    static func column(_ name: String, _ dialect: Dialect) -> String {
        TableNaming.identifier(name, dialect.sqlDialect)
    }

    static func columns(_ names: [String], _ dialect: Dialect) -> String {
        names.map { column($0, dialect) }.joined(separator: ", ")
    }

    /// A string literal.
    static func string(_ s: String, _ dialect: Dialect) -> String {
        // SQLQuoting fails only for values with no literal form (non-finite floats, nested lists); strings have one.
        (try? SQLQuoting.literal(.string(s), dialect: dialect.sqlDialect)) ?? "''"
    }

    /// A UTC timestamp literal of the dialect (the form `interval_filter` uses).
    static func timestamp(_ instant: Instant, _ dialect: Dialect) -> String {
        IntervalFilter.literal(instant, dialect.sqlDialect)
    }

    /// `col >= <start> AND col < <end>`: for date-time columns exactly what `interval_filter('col')` renders in
    /// templates; for date columns (`columnType` a Date) the days of `interval.days`, written as date literals.
    static func intervalFilter(_ columnName: String, _ interval: PlanInterval, _ dialect: Dialect, columnType: String? = nil) -> String {
        let c = column(columnName, dialect)
        guard let columnType, ColumnFacts.isDate(columnType) else {
            return IntervalFilter.render(column: c, start: interval.start, end: interval.end, dialect: dialect.sqlDialect)
        }
        let days = interval.days
        return "\(c) >= \(date(days.start, dialect)) AND \(c) < \(date(days.end, dialect))"
    }

    /// A date literal for the UTC day of `instant`.
    static func date(_ instant: Instant, _ dialect: Dialect) -> String {
        let day = CivilDateTime(instant, offsetSeconds: 0).dateString
        switch dialect {
        case .clickhouse: return "toDate('\(day)')"
        case .postgres, .athena: return "DATE '\(day)'"
        case .sqlite: return "'\(day)'"
        }
    }

    /// The rendered SELECT of a template, ready to be embedded: surrounding whitespace and trailing semicolons
    /// removed (a statement may not end inside a subquery).
    static func trimmedQuery(_ sql: String) -> String {
        var s = Substring(sql)
        while let last = s.last, last.isWhitespace || last == ";" { s = s.dropLast() }
        while let first = s.first, first.isWhitespace { s = s.dropFirst() }
        return String(s)
    }

    /// `SELECT <columns> FROM (<query>) AS src`: the query's output picked by column name, so a template's column
    /// order does not have to match the table's. The query sits on its own lines so a trailing `-- comment`
    /// cannot swallow the closing parenthesis.
    static func select(_ columnNames: [String], from query: String, _ dialect: Dialect) -> String {
        "SELECT \(columns(columnNames, dialect))\nFROM (\n\(trimmedQuery(query))\n) AS src"
    }

    /// Count of all rows, as each dialect spells it.
    static func countAll(_ dialect: Dialect) -> String {
        dialect == .clickhouse ? "count()" : "count(*)"
    }

    /// Boolean literal for a column: TRUE/FALSE for PostgreSQL `boolean` columns, 1/0 otherwise.
    static func flag(_ value: Bool, columnType: String?, _ dialect: Dialect) -> String {
        if dialect == .postgres, let t = columnType?.lowercased(), t.hasPrefix("bool") { return value ? "TRUE" : "FALSE" }
        return value ? "1" : "0"
    }

    /// `a IS DISTINCT FROM b` in each dialect. ClickHouse 18.16 has no null-safe comparison, so nullable columns
    /// compare their nullness as well as their values.
    static func differs(_ a: String, _ b: String, nullable: Bool, _ dialect: Dialect) -> String {
        switch dialect {
        case .postgres, .athena: return "\(a) IS DISTINCT FROM \(b)"
        case .sqlite: return "\(a) IS NOT \(b)"
        case .clickhouse: return nullable ? "(isNull(\(a)) != isNull(\(b)) OR \(a) != \(b))" : "\(a) != \(b)"
        }
    }

    /// `col IS NULL` (ClickHouse spells it `isNull(col)` in every version).
    static func isNull(_ expression: String, _ dialect: Dialect) -> String {
        dialect == .clickhouse ? "isNull(\(expression))" : "\(expression) IS NULL"
    }
}

/// The half-open interval [start, end) a run's strategies and checks cover.
public struct PlanInterval: Sendable, Hashable {
    public var start: Instant
    public var end: Instant

    public init(start: Instant, end: Instant) {
        self.start = start
        self.end = end
    }

    /// The days a date column covers for this interval: from the start's UTC day up to, not including, the end's
    /// day — and at least the start's day. So a daily run at 03:00 (Airflow 3's interval from yesterday 03:00)
    /// covers yesterday, as the data it loads does, and an hourly run covers its whole day.
    public var days: PlanInterval {
        let first = CivilDateTime(start, offsetSeconds: 0).epochDay
        let last = max(CivilDateTime(end, offsetSeconds: 0).epochDay, first + 1)
        return PlanInterval(start: Instant(seconds: first * 86_400), end: Instant(seconds: last * 86_400))
    }

    /// The interval as a column of `type` sees it: `days` for date columns, itself otherwise.
    public func seen(by type: String?) -> PlanInterval {
        type.map(ColumnFacts.isDate) == true ? days : self
    }
}
