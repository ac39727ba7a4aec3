import PipecModel

/// One schedulable piece of work for `DAGRunner`: a unit of one run, with what it waits for and how it is retried.
public struct WorkItem: Sendable, Hashable {
    public var id: String
    /// Items that must finish first (their outcome and the trigger rule decide whether this one runs).
    public var upstream: [String]
    /// The ids in `upstream` this item only waits for (ordering edges): whatever their end, they do not decide
    /// whether it runs under the default `all_success` rule. The others are data edges.
    public var orderingUpstream: Set<String>
    /// The run this item belongs to (0-based, in order); `maxActiveRuns` limits how many runs are in flight.
    public var run: Int
    /// Slots are taken from this pool; pools without a limit take none.
    public var pool: String
    public var retries: Int
    public var retryDelayMilliseconds: Int64
    public var retryBackoff: RetryBackoff
    public var maxRetryDelayMilliseconds: Int64?
    public var timeoutMilliseconds: Int64?
    public var triggerRule: TriggerRule
    /// The same item of the previous run must have succeeded (or been skipped) first.
    public var dependsOnPast: Bool
    /// `id` of this unit in the previous run, for `dependsOnPast` (nil for the first run).
    public var previousRunItem: String?
    /// How messages name the previous run's copy ("daily of the previous interval (ds 2025-01-02)").
    public var previousRunLabel: String?
    /// Under `dependsOnPast`, why the previous interval (outside this runner, e.g. an earlier apply) blocks this
    /// item: it settles `upstreamFailed` with this reason instead of running. nil when nothing blocks it.
    public var pastBlocked: String?

    public init(id: String, upstream: [String], orderingUpstream: Set<String> = [], run: Int = 0, pool: String = "default", retries: Int = 0,
                retryDelayMilliseconds: Int64 = 0, retryBackoff: RetryBackoff = .constant, maxRetryDelayMilliseconds: Int64? = nil,
                timeoutMilliseconds: Int64? = nil, triggerRule: TriggerRule = .allSuccess, dependsOnPast: Bool = false,
                previousRunItem: String? = nil, previousRunLabel: String? = nil, pastBlocked: String? = nil) {
        self.id = id
        self.upstream = upstream
        self.orderingUpstream = orderingUpstream
        self.run = run
        self.pool = pool
        self.retries = retries
        self.retryDelayMilliseconds = retryDelayMilliseconds
        self.retryBackoff = retryBackoff
        self.maxRetryDelayMilliseconds = maxRetryDelayMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.triggerRule = triggerRule
        self.dependsOnPast = dependsOnPast
        self.previousRunItem = previousRunItem
        self.previousRunLabel = previousRunLabel
        self.pastBlocked = pastBlocked
    }

    /// The wait before try `attempt + 1` after try `attempt` failed: constant, or doubling per try up to the cap,
    /// with up to 10% jitter so retries of many tasks do not hit a service in lockstep.
    public func retryDelay(afterAttempt attempt: Int, jitter: Double) -> Int64 {
        var delay = Double(retryDelayMilliseconds)
        if retryBackoff == .exponential { delay *= Double(1 << min(attempt - 1, 30)) }
        if let cap = maxRetryDelayMilliseconds { delay = min(delay, Double(cap)) }
        return Int64(delay * (1 + 0.1 * max(0, min(1, jitter))))
    }
}

/// How an attempt at an item ended.
public enum WorkOutcome: Sendable, Hashable {
    case success(rows: Int?)
    /// Succeeded with nothing to do (`when:` false): the item is skipped, and so is what reads it through a data edge
    /// under `all_success`; downstream trigger rules decide the rest (Airflow's short-circuit that respects them).
    case shortCircuit(reason: String)
    /// Did not run and is not a failure (a sensor's soft_fail timeout).
    case skipped(reason: String)
    case failed(message: String)
}

/// The final state of an item after the runner is done with it.
public enum ItemState: String, Sendable, Hashable {
    case success
    case skipped
    case failed
    /// Not run because an upstream item failed.
    case upstreamFailed = "upstream_failed"
    /// Not run because the run was interrupted (Ctrl-C) or another item's failure stopped it.
    case cancelled

    var isDone: Bool { true }
}
