import Foundation

/// Set once to stop work: a timeout, Ctrl-C, or a failure elsewhere. Work checks it between steps; handlers
/// registered with `onCancel` stop work already inside a database or HTTP call (PQcancel, KILL QUERY, ...).
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var reasonText: String?
    private var handlers: [Int: @Sendable () -> Void] = [:]
    private var nextHandler = 0

    public init() {}

    public var isCancelled: Bool { lock.withLock { cancelled } }
    public var reason: String? { lock.withLock { reasonText } }

    public func cancel(reason: String) {
        let toRun: [@Sendable () -> Void] = lock.withLock {
            guard !cancelled else { return [] }
            cancelled = true
            reasonText = reason
            return Array(handlers.values)
        }
        for h in toRun { h() }
    }

    /// Runs `handler` on cancellation (at once if already cancelled); returns a token for `remove`.
    @discardableResult
    public func onCancel(_ handler: @escaping @Sendable () -> Void) -> Int {
        let (token, runNow): (Int, Bool) = lock.withLock {
            nextHandler += 1
            if !cancelled { handlers[nextHandler] = handler }
            return (nextHandler, cancelled)
        }
        if runNow { handler() }
        return token
    }

    public func remove(_ token: Int) {
        lock.withLock { _ = handlers.removeValue(forKey: token) }
    }
}

extension CancellationFlag {
    /// Sleeps `seconds` in short steps, so a timeout or Ctrl-C ends the wait at once (an `EngineError` with the
    /// cancellation's reason, and `waitingFor` when given).
    func pause(seconds: Double, waitingFor: String? = nil) throws {
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9)
        while true {
            if isCancelled { throw EngineError((reason ?? "cancelled") + (waitingFor.map { " (while waiting after \($0))" } ?? "")) }
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < end else { return }
            Thread.sleep(forTimeInterval: min(0.05, Double(end - now) / 1e9))
        }
    }
}
