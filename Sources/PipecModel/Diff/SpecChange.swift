/// How much a change matters to the data and to whoever reads it.
public enum ChangeImpact: String, Sendable, Hashable, Comparable {
    /// Readers of the table break, or existing data no longer fits (a column removed or retyped, a table removed).
    case breaking
    /// Data produced from now on differs (changed SQL or strategy): downstream tables need a rebuild or backfill.
    case data
    /// Nothing already written changes meaning (a column added, a retry count changed).
    case nonBreaking = "non_breaking"

    private var rank: Int { self == .breaking ? 0 : self == .data ? 1 : 2 }
    public static func < (a: ChangeImpact, b: ChangeImpact) -> Bool { a.rank < b.rank }
}

public enum ChangeAction: String, Sendable, Hashable {
    case added, removed, changed, renamed
}

/// One difference between two versions of a spec, as data; the renderers turn it into text, markdown or JSON.
public struct SpecChange: Sendable, Hashable {
    /// What kind of thing changed: "table", "column", "task", "schedule", "resource", "group", "pool", "defaults", ...
    public var area: String
    /// Its name (`silver.fact_events`, `silver.fact_events.amount`, `cron`).
    public var subject: String
    public var action: ChangeAction
    public var impact: ChangeImpact
    /// A short description ("UInt32 -> UInt64", "strategy append -> upsert").
    public var detail: String
    /// A unified diff of rendered SQL (or another text), when the change is to a text.
    public var textDiff: String?

    public init(area: String, subject: String, action: ChangeAction, impact: ChangeImpact, detail: String, textDiff: String? = nil) {
        self.area = area
        self.subject = subject
        self.action = action
        self.impact = impact
        self.detail = detail
        self.textDiff = textDiff
    }
}

/// Every change between two specs, and the tables whose data is affected downstream of them.
public struct SpecDiffResult: Sendable {
    public var oldPipeline: String
    public var newPipeline: String
    public var changes: [SpecChange]
    /// Tables (and tasks) downstream of a breaking or data change, each with the changed thing it depends on.
    public var affected: [(unit: String, because: String)]
    /// The run whose rendering the SQL diffs compare.
    public var renderedFor: String

    public var hasBreaking: Bool { changes.contains { $0.impact == .breaking } }
}
