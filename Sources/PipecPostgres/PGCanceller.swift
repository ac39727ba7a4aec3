internal import CLibPQ
import Foundation

/// Asks the server to cancel the statement running on one ``PGConnection``, from any thread: the `Sendable`
/// part of a connection, for timeouts and Ctrl-C.
///
/// It holds libpq's `PGcancel` (the server address plus the backend's cancel key, taken when the connection was
/// made), which `PQcancel` uses over a separate, short-lived connection. The lock orders a cancel against the
/// connection's close: once the connection is gone, ``cancel()`` does nothing.
public final class PGCanceller: @unchecked Sendable {
    private let lock = NSLock()
    private var handle: OpaquePointer?

    /// Takes ownership of a `PGcancel*` (nil when libpq could not make one).
    init(handle: OpaquePointer?) { self.handle = handle }

    deinit { invalidate() }

    /// Sends a cancel request. The running statement then fails with SQLSTATE `57014` (query_canceled); when
    /// nothing is running the server ignores the request. Blocks for one round trip to the server.
    ///
    /// - Throws: ``PGError`` (``PGError/Kind/connection``) when the request could not be delivered.
    public func cancel() throws {
        lock.lock()
        defer { lock.unlock() }
        guard let handle else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        if PQcancel(handle, &buffer, Int32(buffer.count)) != 1 {
            let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw PGError(kind: .connection, message: "cancel request failed: " + message.trimmingTrailingNewlines())
        }
    }

    /// Frees the cancel object; called by the connection before it closes.
    func invalidate() {
        lock.lock()
        defer { lock.unlock() }
        if let handle { PQfreeCancel(handle) }
        handle = nil
    }
}
