import Foundation
import PipecModel
import PipecPlan

/// The objects a plan's ensure stage creates, with the columns each must have. Derived from the plan's ensure
/// actions (so `plan`, `apply SPEC` and `apply PLAN.json` look at exactly what apply would create) and the spec's
/// column declarations (so types are compared as written, not parsed back out of DDL).
public enum ExpectedSchema {
    public static func objects(of plan: Plan, pipeline: Pipeline) -> [ExpectedObject] {
        plan.ensure.filter(\.kind.createsTable).map { action in
            let (columns, comparison) = shape(action, pipeline)
            return ExpectedObject(kind: action.kind, name: action.object, resource: action.resource, dialect: action.dialect,
                                  columns: columns, comparison: comparison)
        }
    }

    private static func shape(_ action: EnsureAction, _ pipeline: Pipeline) -> ([ExpectedColumn], ExpectedObject.Comparison) {
        switch action.kind {
        case .table:
            // Staging tables are dropped and created again at the start of every run: their live shape is moot.
            guard let table = pipeline.table(action.object), !table.staging else { return ([], .existence) }
            return (table.columns.map(column), .columns)
        case .quarantineTable:
            let base = String(action.object.dropLast("__quarantine".count))
            guard action.object.hasSuffix("__quarantine"), let table = pipeline.table(base) else { return ([], .existence) }
            let text = quarantineTextType(action.dialect)
            return (table.columns.map { ExpectedColumn(name: $0.name.value, type: text) }, .columnNames)
        case .catalogTable, .view, .materializedView, .schema, .catalogRecords:
            return ([], .existence)
        }
    }

    private static func column(_ c: Column) -> ExpectedColumn {
        ExpectedColumn(name: c.name.value, type: c.type.value.trimmingCharacters(in: .whitespaces), nullable: c.nullable,
                       defaultExpression: c.defaultExpression)
    }

    /// What a quarantine table stores a table's values as (it copies every value as text, so any row fits).
    static func quarantineTextType(_ dialect: Dialect) -> String {
        switch dialect {
        case .clickhouse: return "Nullable(String)"
        case .postgres: return "text"
        case .sqlite, .athena: return "TEXT"
        }
    }
}
