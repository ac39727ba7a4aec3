/// How data flows along a lineage edge. Raw values are the names JSON output uses.
public enum LineageHow: String, Sendable, Hashable, CaseIterable {
    /// A table (or watched asset) read by a table build or a task: `ref()`, `source()`, `reads:`, an export's
    /// `from.table`, the http endpoint or object a sensor polls.
    case reads
    /// A task writing a table: a load's `into`, a task's `writes:`.
    case writes
    /// The source a load task streams from (an http endpoint or an object key) into the task.
    case loads
    /// An export task to the object key it writes.
    case exports
    /// A `lineage:` entry of the spec that no derived edge already covers.
    case declared
}

/// A directed edge: data flows from `from` to `to` (both node ids).
public struct LineageEdge: Sendable, Hashable {
    public var from: String
    public var to: String
    public var how: LineageHow

    public init(from: String, to: String, how: LineageHow) {
        self.from = from
        self.to = to
        self.how = how
    }
}
