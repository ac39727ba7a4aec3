import PipecModel
import PipecPlan

/// A column an object should have, as the spec (or the shape pipec derives from it) declares it.
public struct ExpectedColumn: Sendable, Hashable {
    public var name: String
    public var type: String
    public var nullable: Bool?
    public var defaultExpression: String?

    public init(name: String, type: String, nullable: Bool? = nil, defaultExpression: String? = nil) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.defaultExpression = defaultExpression
    }
}

/// A column as the database reports it.
public struct LiveColumn: Sendable, Hashable {
    public var name: String
    public var type: String

    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// An object the plan's ensure stage makes exist, and how closely its live counterpart must match it.
public struct ExpectedObject: Sendable, Hashable {
    public enum Comparison: Sendable, Hashable {
        /// Only whether it exists: views (re-created by ensure), staging tables (re-created each run), catalog tables.
        case existence
        /// Every spec column must exist; live columns the spec lacks and retyped columns are breaking.
        case columns
        /// Quarantine tables hold every value as text next to bookkeeping columns: only missing columns matter.
        case columnNames
    }

    public var kind: EnsureKind
    /// The spec name (`silver.orders`, `silver.orders__quarantine`).
    public var name: String
    public var resource: String
    public var dialect: Dialect
    public var columns: [ExpectedColumn]
    public var comparison: Comparison

    public init(kind: EnsureKind, name: String, resource: String, dialect: Dialect, columns: [ExpectedColumn], comparison: Comparison) {
        self.kind = kind
        self.name = name
        self.resource = resource
        self.dialect = dialect
        self.columns = columns
        self.comparison = comparison
    }

    /// The name as the object's SQL writes it.
    public var sqlName: String { TableNaming.sql(name, dialect: dialect.sqlDialect) }
}

/// A difference apply cannot resolve without losing or reinterpreting data, so it refuses it unless told
/// `--allow-breaking` (and then leaves the live column as it is).
public enum BreakingDifference: Sendable, Hashable {
    /// The live column's type is not the spec's.
    case retyped(column: String, live: String, spec: String)
    /// The live table has a column the spec does not declare (removed or renamed in the spec).
    case notInSpec(column: String, live: String)

    public var description: String {
        switch self {
        case .retyped(let c, let live, let spec): return "column \(c) is \(live) in the database, \(spec) in the spec"
        case .notInSpec(let c, let live): return "column \(c) (\(live)) is in the database but not in the spec"
        }
    }
}

/// How a live object differs from what the plan expects.
public enum ObjectDrift: Sendable, Hashable {
    case missing
    case matching
    /// `missingColumns` apply adds (`ALTER TABLE ... ADD COLUMN`); `breaking` it refuses.
    case drifted(missingColumns: [ExpectedColumn], breaking: [BreakingDifference])
}

/// Compares an expected object with the columns its live counterpart has (nil: it does not exist).
public enum SchemaDrift {
    public static func compare(_ expected: ExpectedObject, live: [LiveColumn]?) -> ObjectDrift {
        guard let live else { return .missing }
        if expected.comparison == .existence { return .matching }
        // SQLite column names are case-insensitive; PostgreSQL keeps the case the DDL quoted.
        let key: (String) -> String = expected.dialect == .sqlite ? { $0.lowercased() } : { $0 }
        let liveByName = Dictionary(live.map { (key($0.name), $0) }, uniquingKeysWith: { a, _ in a })
        let expectedNames = Set(expected.columns.map { key($0.name) })
        var missing: [ExpectedColumn] = []
        var breaking: [BreakingDifference] = []
        for column in expected.columns {
            guard let found = liveByName[key(column.name)] else {
                missing.append(column)
                continue
            }
            if expected.comparison == .columns, !ColumnTypeMatch.same(spec: column.type, live: found.type, dialect: expected.dialect) {
                breaking.append(.retyped(column: column.name, live: found.type, spec: column.type))
            }
        }
        if expected.comparison == .columns {
            for column in live where !expectedNames.contains(key(column.name)) {
                breaking.append(.notInSpec(column: column.name, live: column.type))
            }
        }
        return missing.isEmpty && breaking.isEmpty ? .matching : .drifted(missingColumns: missing, breaking: breaking)
    }

    /// The statement that adds `column` to an existing table. Rows already there get the default (or NULL), so
    /// NOT NULL is kept only with a default: without one, existing rows would violate it (SQLite refuses it
    /// outright, PostgreSQL as soon as the table has rows).
    public static func addColumn(_ column: ExpectedColumn, to object: ExpectedObject) -> String {
        let d = object.dialect.sqlDialect
        let ifNotExists = object.dialect == .sqlite ? "" : "IF NOT EXISTS "
        var sql = "ALTER TABLE \(object.sqlName) ADD COLUMN \(ifNotExists)\(TableNaming.identifier(column.name, d)) \(column.type)"
        if let value = column.defaultExpression {
            sql += " DEFAULT \(value)"
            if column.nullable == false { sql += " NOT NULL" }
        }
        return sql
    }
}
