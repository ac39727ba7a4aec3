import PipecPlan

/// Runs the plan's idempotent DDL (schemas, tables, quarantine and catalog tables, views) before any unit.
enum Ensure {
    static func run(_ actions: [EnsureAction], resources: Resources, log: ApplyLog, cancel: CancellationFlag) throws {
        for action in actions {
            let engine = try resources.engine(action.resource)
            for statement in action.statements {
                _ = try engine.execute(statement, cancel: cancel)
            }
        }
        if !actions.isEmpty { log.line("ensured \(actions.count) object(s) (tables, views, schemas)") }
    }
}
