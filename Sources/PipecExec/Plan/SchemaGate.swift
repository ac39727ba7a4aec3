import PipecModel
import PipecPlan

/// What apply does about the live tables before it runs anything: it refuses breaking drift (unless
/// `--allow-breaking`) and adds the columns the spec declares that the live tables lack. `pipec plan` shows the
/// same statuses, so what it prints is what this does.
struct SchemaGate {
    let statuses: [ObjectStatus]

    /// Reads the live tables of `plan` and refuses breaking drift with an `EngineError` naming every difference.
    static func check(_ plan: Plan, pipeline: Pipeline, resources: Resources, allowBreaking: Bool, savedPlan: Bool, log: ApplyLog) throws -> SchemaGate {
        let gate = SchemaGate(statuses: try LiveSchema.inspect(ExpectedSchema.objects(of: plan, pipeline: pipeline), resources: resources, readOnly: false))
        let breaking = gate.breaking
        guard !breaking.isEmpty else { return gate }
        let lines = breaking.map { "  table \($0.object.name) (\($0.object.resource)): \($0.difference.description)" }
        if allowBreaking {
            for line in lines { log.line("warning: \(line.drop { $0 == " " }) (left as it is: --allow-breaking)") }
            return gate
        }
        let lead = savedPlan ? "the plan is stale: the live tables no longer match it" : "the live tables do not match the spec"
        throw EngineError("\(lead) (breaking differences; apply leaves them to you, or give --allow-breaking to run with the tables as they are):\n"
                          + lines.joined(separator: "\n"))
    }

    var breaking: [(object: ExpectedObject, difference: BreakingDifference)] {
        statuses.flatMap { status -> [(object: ExpectedObject, difference: BreakingDifference)] in
            guard case .drifted(_, let differences) = status.drift else { return [] }
            return differences.map { (status.object, $0) }
        }
    }

    /// The columns each live table lacks, with the `ALTER TABLE ... ADD COLUMN` statements that add them.
    var alterations: [(object: ExpectedObject, columns: [ExpectedColumn], statements: [String])] {
        statuses.compactMap { status in
            guard case .drifted(let missing, _) = status.drift, !missing.isEmpty else { return nil }
            return (status.object, missing, missing.map { SchemaDrift.addColumn($0, to: status.object) })
        }
    }

    var missingObjects: Int { statuses.filter { $0.drift == .missing }.count }

    /// Whether converging the tables does anything (objects to create or columns to add).
    var hasChanges: Bool { missingObjects > 0 || !alterations.isEmpty }

    /// Adds the missing columns. Run before ensure, whose views may read them.
    func alter(resources: Resources, log: ApplyLog, cancel: CancellationFlag) throws {
        for (object, _, statements) in alterations {
            let engine = try resources.engine(object.resource)
            for statement in statements { try engine.execute(statement, cancel: cancel) }
            log.line("altered table \(object.name): added \(statements.count) column(s)")
        }
    }
}
