import Foundation
import PipecModel
import Testing
@testable import PipecExec

/// A performer that follows a script per item and records what happened, so scheduling is tested without
/// databases (the recording executor of the test suite).
final class ScriptedPerformer: WorkPerformer, @unchecked Sendable {
    enum Behaviour {
        case succeed
        case fail(times: Int)       // fail the first N attempts, then succeed
        case shortCircuit
        case softFail
        case sleepUntilCancelled
        case sleep(milliseconds: Int)
    }

    private let lock = NSLock()
    private var behaviours: [String: Behaviour]
    private(set) var log: [String] = []
    private(set) var concurrent = 0
    private(set) var maxConcurrent = 0
    private(set) var maxConcurrentInPool: [String: Int] = [:]
    private var inPool: [String: Int] = [:]

    init(_ behaviours: [String: Behaviour] = [:]) { self.behaviours = behaviours }

    func perform(_ item: WorkItem, attempt: Int, cancel: CancellationFlag) -> WorkOutcome {
        lock.withLock {
            log.append("\(item.id)#\(attempt)")
            concurrent += 1
            maxConcurrent = max(maxConcurrent, concurrent)
            inPool[item.pool, default: 0] += 1
            maxConcurrentInPool[item.pool] = max(maxConcurrentInPool[item.pool] ?? 0, inPool[item.pool]!)
        }
        defer { lock.withLock { concurrent -= 1; inPool[item.pool]! -= 1 } }
        switch lock.withLock({ behaviours[item.id] ?? .succeed }) {
        case .succeed: Thread.sleep(forTimeInterval: 0.005); return .success(rows: 1)
        case .fail(let times): return attempt <= times ? .failed(message: "boom \(attempt)") : .success(rows: 1)
        case .shortCircuit: return .shortCircuit(reason: "when is false")
        case .softFail: return .skipped(reason: "soft fail")
        case .sleep(let ms): Thread.sleep(forTimeInterval: Double(ms) / 1000); return .success(rows: 1)
        case .sleepUntilCancelled:
            while !cancel.isCancelled { Thread.sleep(forTimeInterval: 0.01) }
            return .failed(message: cancel.reason ?? "cancelled")
        }
    }

    func order(_ id: String) -> Int { log.firstIndex { $0.hasPrefix(id + "#") } ?? -1 }
}

@Suite struct DAGRunnerTests {
    func run(_ items: [WorkItem], _ performer: ScriptedPerformer, parallel: Int = 4, pools: [String: Int] = [:], maxActiveRuns: Int = .max) -> [String: ItemState] {
        DAGRunner(items: items, performer: performer, parallel: parallel, pools: pools, maxActiveRuns: maxActiveRuns).run()
    }

    @Test func upstreamFirstAndParallelWithinAStage() {
        let p = ScriptedPerformer()
        let states = run([WorkItem(id: "a", upstream: []), WorkItem(id: "b", upstream: ["a"]), WorkItem(id: "c", upstream: ["a"]),
                          WorkItem(id: "d", upstream: ["b", "c"])], p)
        #expect(states.values.allSatisfy { $0 == .success })
        #expect(p.order("a") < p.order("b") && p.order("a") < p.order("c"))
        #expect(p.order("d") > p.order("b") && p.order("d") > p.order("c"))
    }

    @Test func parallelismAndPoolsAreNeverExceeded() {
        let items = (0..<12).map { WorkItem(id: "t\($0)", upstream: [], pool: $0 % 2 == 0 ? "api" : "default") }
        let p = ScriptedPerformer(Dictionary(uniqueKeysWithValues: items.map { ($0.id, .sleep(milliseconds: 20)) }))
        let states = run(items, p, parallel: 3, pools: ["api": 1])
        #expect(states.values.allSatisfy { $0 == .success })
        #expect(p.maxConcurrent <= 3)
        #expect(p.maxConcurrentInPool["api"] == 1)
    }

    @Test func retriesUntilSuccess() {
        let p = ScriptedPerformer(["a": .fail(times: 2)])
        let runner = DAGRunner(items: [WorkItem(id: "a", upstream: [], retries: 2, retryDelayMilliseconds: 10, retryBackoff: .exponential)],
                               performer: p, parallel: 2, pools: [:])
        #expect(runner.run()["a"] == .success)
        #expect(p.log == ["a#1", "a#2", "a#3"])
    }

    @Test func failureAfterRetriesFailsDownstream() {
        let p = ScriptedPerformer(["a": .fail(times: 5)])
        let states = run([WorkItem(id: "a", upstream: [], retries: 1, retryDelayMilliseconds: 1), WorkItem(id: "b", upstream: ["a"]),
                          WorkItem(id: "c", upstream: ["a"], triggerRule: .allDone), WorkItem(id: "d", upstream: ["a"], triggerRule: .oneFailed)], p)
        #expect(states["a"] == .failed)
        #expect(states["b"] == .upstreamFailed)
        #expect(states["c"] == .success)
        #expect(states["d"] == .success)
        #expect(p.log.filter { $0.hasPrefix("a#") }.count == 2)
    }

    @Test func exponentialBackoffIsCapped() {
        let item = WorkItem(id: "a", upstream: [], retries: 5, retryDelayMilliseconds: 1000, retryBackoff: .exponential, maxRetryDelayMilliseconds: 3000)
        #expect(item.retryDelay(afterAttempt: 1, jitter: 0) == 1000)
        #expect(item.retryDelay(afterAttempt: 2, jitter: 0) == 2000)
        #expect(item.retryDelay(afterAttempt: 3, jitter: 0) == 3000)
        #expect(item.retryDelay(afterAttempt: 3, jitter: 1) == 3300)
    }

    /// Issue 17.1: a short-circuit skips what reads it (data edges under all_success), and respects downstream
    /// trigger rules: an all_done task still runs (it used to be skipped with the rest).
    @Test func shortCircuitSkipsDataDownstreamAndRespectsTriggerRules() {
        let p = ScriptedPerformer(["gate": .shortCircuit])
        let states = run([WorkItem(id: "gate", upstream: []), WorkItem(id: "load", upstream: ["gate"]),
                          WorkItem(id: "reads_load", upstream: ["load"]),
                          WorkItem(id: "after", upstream: ["load"], triggerRule: .allDone), WorkItem(id: "other", upstream: [])], p)
        #expect(states["gate"] == .skipped)
        #expect(states["load"] == .skipped)
        #expect(states["reads_load"] == .skipped)
        #expect(states["after"] == .success)
        #expect(states["other"] == .success)
        #expect(!p.log.contains { $0.hasPrefix("load#") })
    }

    /// Issue 17.1: an ordering edge waits for its upstream to end; a skip above it does not pass down (the next
    /// group of a sequential family still runs), a failure does (a quality gate still stops what comes after it).
    @Test func orderingEdgesWaitForTheEndAndDoNotPassSkipsDown() {
        let p = ScriptedPerformer(["gate_a": .shortCircuit, "sensor_b": .softFail, "check_c": .fail(times: 9)])
        let states = run([WorkItem(id: "gate_a", upstream: []), WorkItem(id: "load_a", upstream: ["gate_a"]),
                          WorkItem(id: "next", upstream: ["gate_a", "load_a"], orderingUpstream: ["gate_a", "load_a"]),
                          WorkItem(id: "sensor_b", upstream: []),
                          WorkItem(id: "after_b", upstream: ["sensor_b"], orderingUpstream: ["sensor_b"]),
                          WorkItem(id: "check_c", upstream: []),
                          WorkItem(id: "after_c", upstream: ["check_c"], orderingUpstream: ["check_c"]),
                          WorkItem(id: "mixed", upstream: ["load_a", "next"], orderingUpstream: ["next"])], p)
        #expect(states["load_a"] == .skipped)
        #expect(states["next"] == .success)
        #expect(p.order("next") > p.order("gate_a"))
        #expect(states["after_b"] == .success)
        #expect(states["after_c"] == .upstreamFailed)
        #expect(states["mixed"] == .skipped, "its data edge from load_a still passes the skip down")
    }

    @Test func softFailSkipsDownstreamWithAllSuccess() {
        let p = ScriptedPerformer(["sensor": .softFail])
        let states = run([WorkItem(id: "sensor", upstream: []), WorkItem(id: "add_partition", upstream: ["sensor"])], p)
        #expect(states["sensor"] == .skipped)
        #expect(states["add_partition"] == .skipped)
    }

    @Test func timeoutsCancelTheWork() {
        let p = ScriptedPerformer(["slow": .sleepUntilCancelled])
        let runner = DAGRunner(items: [WorkItem(id: "slow", upstream: [], timeoutMilliseconds: 100)], performer: p, parallel: 1, pools: [:])
        #expect(runner.run()["slow"] == .failed)
        #expect(runner.reason(for: "slow") == "timed out after 100ms")
    }

    @Test func dependsOnPastBlocksAfterAFailedRun() {
        let p = ScriptedPerformer(["x@0": .fail(times: 9)])
        let states = run([WorkItem(id: "x@0", upstream: [], run: 0, dependsOnPast: true),
                          WorkItem(id: "x@1", upstream: [], run: 1, dependsOnPast: true, previousRunItem: "x@0"),
                          WorkItem(id: "y@1", upstream: [], run: 1)], p, maxActiveRuns: 2)
        #expect(states["x@0"] == .failed)
        #expect(states["x@1"] == .upstreamFailed)
        #expect(states["y@1"] == .success)
    }

    @Test func maxActiveRunsOneRunsIntervalsInOrder() {
        let p = ScriptedPerformer()
        let items = (0..<4).flatMap { r in [WorkItem(id: "a@\(r)", upstream: [], run: r), WorkItem(id: "b@\(r)", upstream: ["a@\(r)"], run: r)] }
        _ = run(items, p, parallel: 4, maxActiveRuns: 1)
        for r in 1..<4 { #expect(p.order("a@\(r)") > p.order("b@\(r - 1)")) }
    }

    @Test func cancellationStopsRunningAndPendingWork() {
        let p = ScriptedPerformer(["long": .sleepUntilCancelled])
        let runner = DAGRunner(items: [WorkItem(id: "long", upstream: []), WorkItem(id: "next", upstream: ["long"])], performer: p, parallel: 2, pools: [:])
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) { runner.cancel.cancel(reason: "interrupted (Ctrl-C)") }
        let states = runner.run()
        #expect(states["long"] == .failed)
        #expect(states["next"] == .cancelled)
    }

    @Test func tenThousandItemsSchedule() {
        let p = ScriptedPerformer()
        var items: [WorkItem] = []
        for i in 0..<2000 { items.append(WorkItem(id: "t\(i)", upstream: i >= 100 ? ["t\(i - 100)"] : [])) }
        let states = DAGRunner(items: items, performer: NoOp(), parallel: 8, pools: [:]).run()
        #expect(states.count == 2000 && states.values.allSatisfy { $0 == .success })
        _ = p
    }

    struct NoOp: WorkPerformer {
        func perform(_ item: WorkItem, attempt: Int, cancel: CancellationFlag) -> WorkOutcome { .success(rows: 0) }
    }
}
