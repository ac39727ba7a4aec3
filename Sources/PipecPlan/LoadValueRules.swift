import PipecSchedule

/// What a load's value must look like to fit its column, by the column's declared type. Databases differ in what
/// they refuse (SQLite's type affinity stores `abc` in a REAL column as text), so the loader checks every value
/// itself and a value that does not fit makes its row a bad row on every engine.
public enum LoadValueKind: String, Sendable, Hashable, CaseIterable {
    /// Anything (text, JSON, types pipec does not check).
    case text
    /// An optional sign and digits.
    case integer
    /// A decimal or floating-point number.
    case number
    case boolean
    /// `YYYY-MM-DD`.
    case date
    /// An ISO 8601 date or date-time (`2025-03-01`, `2025-03-01 10:00:00`, `2025-03-01T10:00:00Z`).
    case timestamp

    /// The kind a declared column type asks for.
    static func of(_ type: String) -> LoadValueKind {
        let t = ColumnFacts.baseType(type)
        func starts(_ prefixes: [String]) -> Bool { prefixes.contains { t.hasPrefix($0) } }
        if ColumnFacts.isDate(type) { return .date }
        if starts(["datetime", "timestamp"]) { return .timestamp }
        if starts(["int", "uint", "smallint", "bigint", "tinyint", "mediumint", "serial", "bigserial", "smallserial"]) { return .integer }
        if starts(["float", "double", "real", "decimal", "numeric"]) { return .number }
        if t == "bool" || t == "boolean" { return .boolean }
        return .text
    }
}

/// The check of one column's values in a load.
public struct LoadColumnRule: Sendable, Hashable {
    public var kind: LoadValueKind
    /// NULL (an empty unquoted field, a missing key) fits; otherwise it is a bad row, and a file whose header
    /// lacks the column fails the load.
    public var nullable: Bool

    public init(kind: LoadValueKind, nullable: Bool) {
        self.kind = kind
        self.nullable = nullable
    }
}

/// Rows of an interval load must lie in the interval: a row outside it (or whose time does not parse) would never
/// be removed by the rerun's delete-by-interval, so it is a bad row.
public struct LoadIntervalRule: Sendable, Hashable {
    public var column: String
    /// [start, end); for a date column, the days `PlanInterval.days` covers.
    public var interval: PlanInterval
    public var dateOnly: Bool

    public init(column: String, interval: PlanInterval, dateOnly: Bool) {
        self.column = column
        self.interval = interval
        self.dateOnly = dateOnly
    }
}
