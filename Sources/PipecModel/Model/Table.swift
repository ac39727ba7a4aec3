import PipecDiagnostics

public enum TableKind: String, Sendable, Hashable {
    case table, view
    case materializedView = "materialized_view"
}

public enum Strategy: String, Sendable, Hashable, CaseIterable {
    case full, append
    case replaceInterval = "replace_interval"
    case upsert, scd2
}

public enum BadRowsPolicy: String, Sendable, Hashable {
    case fail, quarantine
    case skipWithCount = "skip_with_count"
}

public struct Column: Sendable, Hashable {
    public var name: Located<String>
    public var type: Located<String>
    /// nil: the dialect's default (nullable in postgres/sqlite, not nullable in clickhouse unless the type says so).
    public var nullable: Bool?
    public var description: String?
    public var pii: Bool
    public var defaultExpression: String?
}

/// How a table's rows are produced for an interval.
public struct Build: Sendable, Hashable {
    public var sql: TemplateText
    public var strategy: Located<Strategy>
    public var intervalColumn: Located<String>?
    public var trackedColumns: [Located<String>]
    public var validFrom: String
    public var validTo: String
    public var isCurrent: String
    public var versionColumn: Located<String>?
}

public enum CheckRule: Sendable, Hashable {
    case notNull([Located<String>])
    case unique([Located<String>])
    case acceptedValues(column: Located<String>, values: [String])
    case rowCount(min: Int?, max: Int?)
    case expression(TemplateText)
    case freshness(column: Located<String>, maxAgeMilliseconds: Int64)

    /// The check's name in plans, state rows and messages.
    public var name: String {
        switch self {
        case .notNull: return "not_null"
        case .unique: return "unique"
        case .acceptedValues: return "accepted_values"
        case .rowCount: return "row_count"
        case .expression: return "expression"
        case .freshness: return "freshness"
        }
    }

    /// Every column the rule names, for checking they exist.
    public var columns: [Located<String>] {
        switch self {
        case .notNull(let c), .unique(let c): return c
        case .acceptedValues(let c, _), .freshness(let c, _): return [c]
        case .rowCount, .expression: return []
        }
    }
}

public enum CheckSeverity: String, Sendable, Hashable {
    case error, warn
}

public struct Check: Sendable, Hashable {
    public var rule: CheckRule
    public var severity: CheckSeverity
    public var description: String?
    public var location: SourceLocation
}

public struct Table: Sendable, Hashable {
    /// `[schema.]name` as written (after for_each expansion).
    public var name: Located<String>
    public var resource: Located<String>
    public var kind: TableKind
    public var description: String?
    public var columns: [Column]
    public var engine: Located<String>?
    public var partitionBy: Located<String>?
    public var orderBy: [Located<String>]
    public var primaryKey: [Located<String>]
    public var staging: Bool
    public var external: Bool
    /// `staging:` or `external:` is written but is not a boolean (E103 already says so): checks that depend on
    /// them are skipped, so one mistake gives one diagnostic.
    public var flagsUnknown = false
    public var build: Build?
    /// The SELECT of a view or materialized view.
    public var viewSQL: TemplateText?
    public var checks: [Check]
    public var onBadRows: BadRowsPolicy
    public var group: Located<String>?
    public var after: [Located<String>]
    public var item: ForEachItem?

    /// The schema (database) part of the name, if any.
    public var schema: String? {
        let parts = name.value.split(separator: ".", maxSplits: 1)
        return parts.count == 2 ? String(parts[0]) : nil
    }

    /// The name without its schema.
    public var baseName: String {
        String(name.value.split(separator: ".", maxSplits: 1).last ?? "")
    }

    public func column(_ name: String) -> Column? { columns.firstIndex { $0.name.value == name }.map { columns[$0] } }

    /// Whether a column is called `name`, without copying one out (checks ask this for thousands of tables).
    public func hasColumn(_ name: String) -> Bool { columns.contains { $0.name.value == name } }

    /// The template a build or view runs, if the table has one.
    public var sql: TemplateText? { build?.sql ?? viewSQL }
}
