import PipecDiagnostics
import PipecPlan

/// `pipec plan`'s output: Terraform-style lines (`+` create, `~` alter, `!` breaking, `>` run interval) and a
/// summary line, or the same as JSON.
public enum LivePlanPrinter {
    public static func text(_ plan: LivePlan) -> String {
        var lines = ["Plan for \(plan.pipeline) (\(plan.specFile)), against the live databases and the state store \(plan.state):", ""]
        for status in plan.toCreate {
            lines.append("  + create \(noun(status.object.kind)) \(status.object.name) (\(status.object.resource))")
        }
        for change in plan.toAlter {
            for column in change.columns {
                lines.append("  ~ alter table \(change.object.name): add column \(column.name) \(column.type)")
            }
        }
        for item in plan.breaking {
            let verdict = plan.allowBreaking ? "breaking, left as it is" : "breaking"
            lines.append("  ! table \(item.object.name): \(item.difference.description) (\(verdict))")
        }
        for interval in plan.intervals {
            lines.append("  > run interval \(interval.runId) (ds \(interval.ds)): \(count(interval.units.count, "unit"))")
        }
        if !plan.hasChanges && plan.breaking.isEmpty {
            lines.append("  No changes: the live tables match the spec and no interval is left to run.")
        }
        lines.append("")
        lines.append("Plan: \(count(plan.toCreate.count, "table")) to create, \(plan.toAlter.count) to alter, "
                     + "\(count(plan.intervals.count, "interval")) to run.")
        if !plan.breaking.isEmpty {
            let n = count(plan.breaking.count, "breaking difference")
            lines.append(plan.allowBreaking
                         ? "\(n) left as it is (--allow-breaking): apply runs with those columns as the database has them."
                         : "Apply refuses \(n): change the table or the spec back, or give --allow-breaking to run with the table as it is.")
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ plan: LivePlan) -> JSONValue {
        .object([
            ("pipeline", .string(plan.pipeline)),
            ("spec", .string(plan.specFile)),
            ("state", .string(plan.state)),
            ("create", .array(plan.toCreate.map { s in
                .object([("kind", .string(s.object.kind.rawValue)), ("object", .string(s.object.name)), ("resource", .string(s.object.resource))])
            })),
            ("alter", .array(plan.toAlter.map { change in
                .object([("object", .string(change.object.name)), ("resource", .string(change.object.resource)),
                         ("add_columns", .array(change.columns.map { .object([("name", .string($0.name)), ("type", .string($0.type))]) })),
                         ("statements", .array(change.statements.map(JSONValue.string)))])
            })),
            ("breaking", .array(plan.breaking.map { item in
                var fields: [(String, JSONValue)] = [("object", .string(item.object.name)), ("resource", .string(item.object.resource))]
                switch item.difference {
                case .retyped(let column, let live, let spec):
                    fields += [("reason", .string("retyped")), ("column", .string(column)), ("live_type", .string(live)), ("spec_type", .string(spec))]
                case .notInSpec(let column, let live):
                    fields += [("reason", .string("not_in_spec")), ("column", .string(column)), ("live_type", .string(live)), ("spec_type", .null)]
                }
                return .object(fields + [("message", .string(item.difference.description))])
            })),
            ("intervals", .array(plan.intervals.map { i in
                .object([("run_id", .string(i.runId)), ("ds", .string(i.ds)), ("units", .array(i.units.map(JSONValue.string)))])
            })),
            ("allow_breaking", .bool(plan.allowBreaking)),
            ("summary", .object([("create", .int(plan.toCreate.count)), ("alter", .int(plan.toAlter.count)),
                                 ("breaking", .int(plan.breaking.count)), ("intervals", .int(plan.intervals.count))])),
            ("changes", .bool(plan.hasChanges)),
            ("refused", .bool(plan.refused)),
        ])
    }

    private static func noun(_ kind: EnsureKind) -> String {
        switch kind {
        case .view: return "view"
        case .materializedView: return "materialized view"
        case .table, .quarantineTable, .catalogTable, .schema, .catalogRecords: return "table"
        }
    }

    private static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
