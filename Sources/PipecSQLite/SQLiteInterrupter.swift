internal import CSQLite
import Foundation

/// Stops the statement running on one ``SQLiteDatabase``, from any thread: the `Sendable` part of a
/// connection, for timeouts and Ctrl-C.
///
/// `sqlite3_interrupt` itself is safe to call from another thread while the connection is open; the lock makes it
/// safe after the connection has closed as well (the database invalidates this object before closing, under the
/// same lock, so a late call becomes a no-op instead of touching a freed handle).
public final class SQLiteInterrupter: @unchecked Sendable {
    private let lock = NSLock()
    private var handle: OpaquePointer?

    init(handle: OpaquePointer) { self.handle = handle }

    /// Makes the running statement (and any started before it finishes) fail with ``SQLiteError/interrupted``.
    /// A call while nothing runs has no effect on later statements.
    public func interrupt() {
        lock.lock()
        defer { lock.unlock() }
        if let handle { sqlite3_interrupt(handle) }
    }

    /// Called by the database right before it closes its handle.
    func invalidate() {
        lock.lock()
        defer { lock.unlock() }
        handle = nil
    }
}
