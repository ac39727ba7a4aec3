import Foundation

/// Runs two independent stages of the front end at the same time: validating a large spec is mostly two
/// such pairs, and a second core nearly halves them.
enum Concurrently {
    struct Timed<Value: Sendable>: Sendable {
        var value: Value
        /// The stage's own wall time.
        var seconds: Double
    }

    /// Both results, each with its own wall time.
    static func run<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (Timed<A>, Timed<B>) {
        let results = Results<A, B>()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 { results.first = timed(first) } else { results.second = timed(second) }
        }
        return (results.first!, results.second!)
    }

    private static func timed<T>(_ body: () -> T) -> Timed<T> {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = body()
        return Timed(value: value, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Each slot is written by one thread, and read once both are done.
    private final class Results<A: Sendable, B: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var a: Timed<A>?
        private var b: Timed<B>?

        var first: Timed<A>? {
            get { lock.withLock { a } }
            set { lock.withLock { a = newValue } }
        }

        var second: Timed<B>? {
            get { lock.withLock { b } }
            set { lock.withLock { b = newValue } }
        }
    }
}
