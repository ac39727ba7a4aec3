import Foundation

/// `map` over the machine's cores for independent, CPU-bound work (compiling and hashing 10,000 units), with
/// results in input order so output stays deterministic.
enum ParallelMap {
    static func map<T: Sendable, R: Sendable>(_ input: [T], _ transform: @Sendable (T) -> R) -> [R] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard input.count > 64, cores > 1 else { return input.map(transform) }
        let chunks = min(cores * 4, input.count / 16)
        let results = Slots<R>(count: input.count)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var i = chunk
            while i < input.count {
                results.set(i, transform(input[i]))
                i += chunks
            }
        }
        return results.values
    }

    /// Write-once slots filled from several threads; each index is written by exactly one of them.
    private final class Slots<R>: @unchecked Sendable {
        private var storage: [R?]
        private let lock = NSLock()

        init(count: Int) { storage = Array(repeating: nil, count: count) }

        func set(_ i: Int, _ value: R) {
            lock.lock()
            storage[i] = value
            lock.unlock()
        }

        var values: [R] { storage.map { $0! } }
    }
}
