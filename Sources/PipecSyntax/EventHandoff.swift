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

    /// The next batch, waiting for the reader if needed.
    func pop() -> EventBatch {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty { condition.wait() }
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
