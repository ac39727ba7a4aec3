/// How long to wait before retrying a request: exponential from `base`, capped, with ±20% jitter so clients that
/// failed together do not retry together. Used for retries inside one attempt (S3 throttling, an API's 5xx).
public struct Backoff: Sendable {
    public var base: Double
    public var cap: Double

    public init(base: Double, cap: Double) {
        self.base = base
        self.cap = cap
    }

    /// Seconds to wait before retry `attempt` (1 = the first retry).
    public func delay(attempt: Int) -> Double {
        let exponential = base * Double(1 << min(max(0, attempt - 1), 20))
        return min(cap, exponential) * Double.random(in: 0.8...1.2)
    }
}
