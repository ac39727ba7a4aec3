import Foundation

/// Carries event batches from the reader thread to the tree builder. Holds a few batches at most, so a reader far
/// ahead waits instead of copying the whole file; cancelling releases a waiting reader at once.
final class EventHandoff: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [EventBatch] = []
    private var cancelled = false
    private let capacity = 8

    /// Queues `batch`; false when the builder has stopped and wants no more.
    func push(_ batch: EventBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// The next batch. While the reader is less than two batches ahead (and not done), calls `work` (outside the
    /// lock) until it says it has nothing left to do: the reader never waits for a builder that is this close, and
    /// the builder's spare time goes to the work. Then waits for the reader if needed.
    func pop(whileWaiting work: () -> Bool) -> EventBatch {
        condition.lock()
        defer { condition.unlock() }
        var idle = false
        while true {
            if batches.isEmpty {
                if idle {
                    condition.wait()
                    continue
                }
            } else if idle || batches.count >= 2 || batches[0].isLast {
                break
            }
            condition.unlock()
            idle = !work()
            condition.lock()
        }
        condition.broadcast()
        return batches.removeFirst()
    }

    /// Tells the reader to stop.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
