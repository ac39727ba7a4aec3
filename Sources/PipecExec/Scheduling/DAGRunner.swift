import Foundation
import PipecModel

/// Does one attempt of one item. Called on a worker thread; must return (not throw) and should check `cancel`
/// between steps and register `onCancel` handlers around blocking calls.
public protocol WorkPerformer: Sendable {
    func perform(_ item: WorkItem, attempt: Int, cancel: CancellationFlag) -> WorkOutcome
}

/// What the runner tells its observer (the state store, logs, progress bars). Delivered one at a time.
public enum RunnerEvent: Sendable {
    case started(WorkItem, attempt: Int)
    case attemptFinished(WorkItem, attempt: Int, outcome: WorkOutcome, milliseconds: Int64)
    case retrying(WorkItem, attempt: Int, delayMilliseconds: Int64, message: String)
    /// The item's final state; `reason` says why for items that did not run.
    case settled(WorkItem, state: ItemState, reason: String?)
}

/// Runs a DAG of work items as soon as their upstream items are done: up to `parallel` at once, never more than a
/// pool's slots or `maxActiveRuns` runs in flight; retries with backoff; timeouts that cancel the work; trigger
/// rules, short-circuits and depends_on_past as Airflow defines them. Edges in an item's `orderingUpstream` only
/// order: the item waits for them to end, whatever their end.
public final class DAGRunner: @unchecked Sendable {
    public let items: [WorkItem]
    private let byID: [String: Int]
    private let performer: any WorkPerformer
    private let parallel: Int
    private let pools: [String: Int]
    private let maxActiveRuns: Int
    private let observe: @Sendable (RunnerEvent) -> Void
    public let cancel = CancellationFlag()

    private let condition = NSCondition()
    // Everything below is guarded by `condition`.
    private var states: [ItemState?]
    private var reasons: [String?]
    private var attempts: [Int]
    private var running: Set<Int> = []
    private var retryAt: [Int: UInt64] = [:]
    private var completions: [(Int, WorkOutcome, Int64)] = []
    private var poolUse: [String: Int] = [:]
    /// Upstream items (plus the previous run's copy under depends_on_past) not settled yet, per item.
    private var unsettledDependencies: [Int]
    /// Who waits on each item: its downstream items and, under depends_on_past, its copy in the next run.
    private let waiters: [Int: [Int]]
    /// Items whose dependencies are all settled and that have not started (or wait for a retry), in order.
    private var ready: [Int] = []
    private var unsettledInRun: [Int: Int] = [:]
    private var startedRuns = Set<Int>()
    private var unsettledCount: Int

    public init(items: [WorkItem], performer: any WorkPerformer, parallel: Int, pools: [String: Int], maxActiveRuns: Int = .max,
                observe: @escaping @Sendable (RunnerEvent) -> Void = { _ in }) {
        self.items = items
        var index: [String: Int] = [:]
        for (i, item) in items.enumerated() { index[item.id] = i }
        byID = index
        var down: [Int: [Int]] = [:]
        for (i, item) in items.enumerated() {
            for u in item.upstream { if let j = index[u] { down[j, default: []].append(i) } }
        }
        var wait = down
        var counts = items.map { $0.upstream.filter { index[$0] != nil }.count }
        for (i, item) in items.enumerated() where item.dependsOnPast {
            if let p = item.previousRunItem, let j = index[p] {
                wait[j, default: []].append(i)
                counts[i] += 1
            }
        }
        waiters = wait
        unsettledDependencies = counts
        unsettledCount = items.count
        for item in items { unsettledInRun[item.run, default: 0] += 1 }
        ready = counts.indices.filter { counts[$0] == 0 }
        self.performer = performer
        self.parallel = max(1, parallel)
        self.pools = pools
        self.maxActiveRuns = max(1, maxActiveRuns)
        self.observe = observe
        states = Array(repeating: nil, count: items.count)
        reasons = Array(repeating: nil, count: items.count)
        attempts = Array(repeating: 0, count: items.count)
        cancel.onCancel { [weak self] in
            guard let self else { return }
            self.condition.lock()
            self.condition.broadcast()
            self.condition.unlock()
        }
    }

    /// Runs everything and returns each item's final state, by id.
    public func run() -> [String: ItemState] {
        condition.lock()
        while unsettledCount > 0 {
            for (i, outcome, ms) in completions { complete(i, outcome, ms) }
            completions.removeAll()
            if cancel.isCancelled {
                for i in items.indices where states[i] == nil && !running.contains(i) {
                    settle(i, .cancelled, cancel.reason ?? "cancelled")
                }
                ready.removeAll()
                if running.isEmpty { break }
            } else {
                scheduleReady()
            }
            if unsettledCount == 0 { break }
            if running.isEmpty && retryAt.isEmpty && completions.isEmpty {
                // Nothing can make progress (should not happen with a valid graph): settle what is left.
                for i in items.indices where states[i] == nil { settle(i, .cancelled, "could not be scheduled (a dependency never finished)") }
                break
            }
            if completions.isEmpty {
                if let next = retryAt.values.min() {
                    let now = DispatchTime.now().uptimeNanoseconds
                    let wait = next > now ? Double(next - now) / 1e9 : 0
                    _ = condition.wait(until: Date(timeIntervalSinceNow: max(0.001, min(wait, 1))))
                } else {
                    condition.wait()
                }
            }
        }
        var result: [String: ItemState] = [:]
        for (i, item) in items.enumerated() { result[item.id] = states[i] ?? .cancelled }
        condition.unlock()
        return result
    }

    // MARK: scheduling (called with the lock held)

    private var activeRunCount: Int {
        startedRuns.filter { (unsettledInRun[$0] ?? 0) > 0 }.count
    }

    /// Whether run `run` may have items started: it already has, or it is the next run and fewer than
    /// `maxActiveRuns` runs are in flight (runs start in order).
    private func runMayStart(_ run: Int) -> Bool {
        if startedRuns.contains(run) { return true }
        let nextRun = (unsettledInRun.keys.filter { !startedRuns.contains($0) && (unsettledInRun[$0] ?? 0) > 0 }.min())
        return run == nextRun && activeRunCount < maxActiveRuns
    }

    private func scheduleReady() {
        let now = DispatchTime.now().uptimeNanoseconds
        var remaining: [Int] = []
        var index = 0
        while index < ready.count {
            let i = ready[index]
            index += 1
            guard states[i] == nil else { continue }
            if let at = retryAt[i], at > now {
                remaining.append(i)
                continue
            }
            let item = items[i]
            if item.dependsOnPast, let blocked = item.pastBlocked {
                settle(i, .upstreamFailed, "depends_on_past: \(blocked)")
                continue
            }
            if item.dependsOnPast, let p = item.previousRunItem, let j = byID[p], let past = states[j], past != .success && past != .skipped {
                settle(i, .upstreamFailed, "depends_on_past: \(item.previousRunLabel ?? p) ended \(past.rawValue)")
                continue
            }
            if retryAt[i] == nil, let decision = triggerDecision(item) {
                settle(i, decision.0, decision.1)
                continue
            }
            let blockedByPool = pools[item.pool].map { poolUse[item.pool, default: 0] >= $0 } ?? false
            if running.count >= parallel || blockedByPool || !runMayStart(item.run) {
                remaining.append(i)
                continue
            }
            retryAt[i] = nil
            startedRuns.insert(item.run)
            start(i)
        }
        // Settling above may have made new items ready; they are appended after this pass.
        ready = Array(Set((remaining + ready[index...]).filter { states[$0] == nil })).sorted()
    }

    /// nil when the item should run; otherwise the state it settles in without running. Under the default rule an
    /// ordering edge is Airflow's none_failed (a skip above it does not pass down, a failure does); a rule the spec
    /// chose is about every upstream's outcome.
    private func triggerDecision(_ item: WorkItem) -> (ItemState, String)? {
        var ups = item.upstream.compactMap { byID[$0] }
        if item.triggerRule == .allSuccess && !item.orderingUpstream.isEmpty {
            for u in item.orderingUpstream.compactMap({ byID[$0] }) {
                if let s = states[u], s == .failed || s == .upstreamFailed || s == .cancelled {
                    return (.upstreamFailed, "an upstream task failed")
                }
            }
            ups = ups.filter { !item.orderingUpstream.contains(items[$0].id) }
        }
        let upstates = ups.compactMap { states[$0] }
        if upstates.isEmpty { return nil }
        let failed = upstates.filter { $0 == .failed || $0 == .upstreamFailed || $0 == .cancelled }.count
        let succeeded = upstates.filter { $0 == .success }.count
        let skipped = upstates.filter { $0 == .skipped }.count
        switch item.triggerRule {
        case .allSuccess:
            if failed > 0 { return (.upstreamFailed, "an upstream task failed") }
            if skipped > 0 { return (.skipped, "an upstream task was skipped") }
            return nil
        case .allDone:
            return nil
        case .oneFailed:
            return failed > 0 ? nil : (.skipped, "trigger_rule one_failed: no upstream task failed")
        case .allFailed:
            return failed == upstates.count ? nil : (.skipped, "trigger_rule all_failed: not every upstream task failed")
        case .oneSuccess:
            if succeeded > 0 { return nil }
            return failed == upstates.count ? (.upstreamFailed, "no upstream task succeeded") : (.skipped, "no upstream task succeeded")
        case .noneFailed:
            return failed > 0 ? (.upstreamFailed, "an upstream task failed") : nil
        }
    }

    private func start(_ i: Int) {
        let item = items[i]
        attempts[i] += 1
        let attempt = attempts[i]
        running.insert(i)
        poolUse[item.pool, default: 0] += 1
        observe(.started(item, attempt: attempt))
        let flag = CancellationFlag()
        let parentToken = cancel.onCancel { [cancel] in flag.cancel(reason: cancel.reason ?? "cancelled") }
        // A timeout of 0 sets no clock: a sensor with `timeout: 0s` pokes once and ends by itself.
        if let timeout = item.timeoutMilliseconds, timeout > 0 {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout))) {
                flag.cancel(reason: "timed out after \(Self.describe(milliseconds: timeout))")
            }
        }
        let performer = self.performer
        DispatchQueue.global().async { [self] in
            let began = DispatchTime.now().uptimeNanoseconds
            var outcome = performer.perform(item, attempt: attempt, cancel: flag)
            if flag.isCancelled, case .success = outcome, let reason = flag.reason, reason.hasPrefix("timed out") {
                outcome = .failed(message: reason)
            }
            let ms = Int64((DispatchTime.now().uptimeNanoseconds - began) / 1_000_000)
            cancel.remove(parentToken)
            condition.lock()
            completions.append((i, outcome, ms))
            condition.broadcast()
            condition.unlock()
        }
    }

    private func complete(_ i: Int, _ outcome: WorkOutcome, _ ms: Int64) {
        let item = items[i]
        running.remove(i)
        poolUse[item.pool, default: 1] -= 1
        observe(.attemptFinished(item, attempt: attempts[i], outcome: outcome, milliseconds: ms))
        switch outcome {
        case .success:
            settle(i, .success, nil)
        case .skipped(let reason):
            settle(i, .skipped, reason)
        case .shortCircuit(let reason):
            // Downstream items decide by their trigger rules and edge kinds when they become ready.
            settle(i, .skipped, reason)
        case .failed(let message):
            if attempts[i] <= item.retries && !cancel.isCancelled {
                let delay = item.retryDelay(afterAttempt: attempts[i], jitter: Double.random(in: 0...1))
                retryAt[i] = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, delay)) * 1_000_000
                ready.append(i)
                observe(.retrying(item, attempt: attempts[i], delayMilliseconds: delay, message: message))
            } else {
                settle(i, .failed, message)
            }
        }
    }

    private func settle(_ i: Int, _ state: ItemState, _ reason: String?) {
        guard states[i] == nil else { return }
        states[i] = state
        reasons[i] = reason
        retryAt[i] = nil
        unsettledCount -= 1
        unsettledInRun[items[i].run, default: 1] -= 1
        observe(.settled(items[i], state: state, reason: reason))
        for w in waiters[i] ?? [] {
            unsettledDependencies[w] -= 1
            if unsettledDependencies[w] == 0 && states[w] == nil { ready.append(w) }
        }
    }

    /// The reason an item ended as it did (the failure message, the skip reason), after `run()`.
    public func reason(for id: String) -> String? {
        condition.lock()
        defer { condition.unlock() }
        return byID[id].flatMap { reasons[$0] }
    }

    static func describe(milliseconds ms: Int64) -> String {
        ms % 60_000 == 0 ? "\(ms / 60_000)m" : ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }
}
