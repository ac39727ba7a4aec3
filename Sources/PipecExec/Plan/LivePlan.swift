import PipecPlan

/// An interval apply would run, with the units it would run in it.
public struct PendingInterval: Sendable, Hashable {
    public var runId: String
    public var ds: String
    public var units: [String]
}

/// What `pipec apply` would do now with the same options: the objects it would create, the columns it would add,
/// the breaking differences it would refuse, and the intervals it would run.
public struct LivePlan: Sendable {
    public var pipeline: String
    public var specFile: String
    /// Where the state store was read (a path or a redacted URL).
    public var state: String
    /// Every object the plan's ensure stage covers, with its live status (matching ones included).
    public var objects: [ObjectStatus]
    public var intervals: [PendingInterval]
    public var allowBreaking: Bool

    public var toCreate: [ObjectStatus] { objects.filter { $0.drift == .missing } }

    public var toAlter: [(object: ExpectedObject, columns: [ExpectedColumn], statements: [String])] { SchemaGate(statuses: objects).alterations }

    public var breaking: [(object: ExpectedObject, difference: BreakingDifference)] { SchemaGate(statuses: objects).breaking }

    /// Apply would refuse to run: breaking differences without `--allow-breaking`.
    public var refused: Bool { !breaking.isEmpty && !allowBreaking }

    /// Apply would change something (`--detailed-exitcode` 2). Allowed breaking differences are not changes:
    /// apply leaves them as they are.
    public var hasChanges: Bool { !toCreate.isEmpty || !toAlter.isEmpty || !intervals.isEmpty }
}
