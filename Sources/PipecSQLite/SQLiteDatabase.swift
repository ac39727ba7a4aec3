internal import CSQLite
import Foundation

/// One SQLite connection: pipec's embedded engine and its state store.
///
/// Opening sets what pipec relies on: the WAL journal (readers never block the one writer), a busy timeout
/// (a second process waits for the write lock instead of failing at once), foreign keys enforced, and extended
/// result codes (so a unique violation is told apart from other constraint failures).
///
/// **Ownership.** This object owns the `sqlite3*` handle and closes it in `deinit`. Every
/// ``SQLiteStatement`` keeps its database alive, so the handle is never closed under a live statement.
///
/// **Not `Sendable`.** A connection runs one statement at a time and its error state belongs to the last
/// call, so it is used from one task at a time; the compiler enforces that instead of a lock that would
/// serialize (and hide) concurrent use. The one operation that must come from elsewhere — stopping a running
/// statement for a timeout or Ctrl-C — goes through ``interrupter``, a separate `Sendable` object.
public final class SQLiteDatabase {
    let handle: OpaquePointer
    /// The path given to ``init(path:busyTimeout:)`` (`:memory:` for an in-memory database).
    public let path: String
    /// A `Sendable` handle whose ``SQLiteInterrupter/interrupt()`` stops the statement running on this
    /// connection, from any thread; it becomes a no-op once the connection is closed.
    public let interrupter: SQLiteInterrupter
    private var savepointCounter = 0

    /// Opens (creating if needed) the database at `path`, creating missing parent folders.
    ///
    /// - Parameters:
    ///   - path: a file path, or `:memory:` for a private in-memory database.
    ///   - busyTimeout: how long a statement waits for another connection's lock before failing with
    ///     ``SQLiteError/busy``, in milliseconds.
    ///   - createFolders: create missing parent folders; when false a missing folder is an error (a path outside
    ///     the project that nobody asked pipec to create).
    public init(path: String, busyTimeout: Int = 5_000, createFolders: Bool = true) throws {
        if path != ":memory:" && !path.isEmpty {
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            if !createFolders && !(FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder) && isFolder.boolValue) {
                throw SQLiteError(code: SQLiteError.cantOpen, extendedCode: SQLiteError.cantOpen,
                                  message: "the folder of \(path) does not exist (pipec creates folders only inside the project)",
                                  statement: nil)
            }
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw SQLiteError(code: SQLiteError.cantOpen, extendedCode: SQLiteError.cantOpen,
                                  message: "cannot create the folder of \(path): \(Self.reason(error))",
                                  statement: nil)
            }
        }
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard let opened else {
            throw SQLiteError(database: nil, status: status, statement: nil)
        }
        guard status == SQLITE_OK else {
            // sqlite3_open_v2 returns a handle even on failure; it carries the message and must be closed.
            let error = SQLiteError(database: opened, status: status, statement: nil)
            sqlite3_close_v2(opened)
            throw error
        }
        self.handle = opened
        self.path = path
        self.interrupter = SQLiteInterrupter(handle: opened)
        sqlite3_extended_result_codes(opened, 1)
        sqlite3_busy_timeout(opened, Int32(clamping: busyTimeout))
        // An in-memory database answers "memory" to the journal_mode pragma; that is expected.
        try execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
    }

    deinit {
        interrupter.invalidate()
        sqlite3_close_v2(handle)
    }

    /// Runs one or several `;`-separated statements, stepping each to completion and discarding any rows.
    ///
    /// Statements are prepared one at a time (`sqlite3_prepare_v2` and its tail pointer), so a failure names
    /// the statement that failed, and the statements before it have taken effect (wrap the call in
    /// ``transaction(_:)`` for all-or-nothing).
    public func execute(_ sql: String) throws {
        try sql.withCString { base in
            let end = base + strlen(base)
            var cursor = base
            while cursor < end {
                var prepared: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let status = sqlite3_prepare_v2(handle, cursor, Int32(clamping: end - cursor), &prepared, &tail)
                if status != SQLITE_OK {
                    let offset = Int(sqlite3_error_offset(handle))
                    let (text, skipped) = Self.failingStatement(from: cursor, to: end)
                    throw SQLiteError(database: handle, status: status, statement: text,
                                      errorOffset: offset >= 0 ? offset - skipped : nil)
                }
                let next = tail ?? end
                guard let prepared else {
                    // Only whitespace or comments were left.
                    if next <= cursor { break }
                    cursor = next
                    continue
                }
                var step = sqlite3_step(prepared)
                while step == SQLITE_ROW { step = sqlite3_step(prepared) }
                if step != SQLITE_DONE {
                    let error = SQLiteError(database: handle, status: step,
                                            statement: Self.trimmedText(from: cursor, to: next).text)
                    sqlite3_finalize(prepared)
                    throw error
                }
                sqlite3_finalize(prepared)
                cursor = next
            }
        }
    }

    /// Why a folder could not be created, without the path (Foundation's description repeats it; the caller names the
    /// whole database path, which may be a secret that only redacts as a whole).
    private static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        return underlying.map { String(cString: strerror(Int32($0.code))) } ?? "the folder cannot be created"
    }

    /// Runs exactly one statement to completion; a second statement in the text is an error before anything runs
    /// (``execute(_:)`` runs scripts).
    public func runOne(_ sql: String) throws {
        let statement = try prepare(sql)
        while try statement.step() {}
    }

    /// Compiles one statement. Text after the first statement is an error, so a stray second statement
    /// cannot be silently ignored.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        try SQLiteStatement(database: self, sql: sql)
    }

    /// Runs one statement with positional parameters (`?`, `?NNN`, `:name` in order) and returns all rows.
    /// For large results use ``rows(_:_:)``, which holds one row at a time.
    public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow] {
        let iterator = try rows(sql, parameters)
        var result: [SQLiteRow] = []
        while let row = try iterator.next() { result.append(row) }
        return result
    }

    /// Streams the rows of one statement: the iterator steps the statement on demand, so memory stays constant
    /// however many rows there are.
    public func rows(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> SQLiteRowIterator {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        return SQLiteRowIterator(statement: statement)
    }

    /// Calls `body` for each row of one statement, one row in memory at a time; returns the number of rows.
    @discardableResult
    public func forEachRow(_ sql: String, _ parameters: [SQLiteValue] = [], _ body: (SQLiteRow) throws -> Void) throws -> Int {
        let iterator = try rows(sql, parameters)
        var count = 0
        while let row = try iterator.next() {
            try body(row)
            count += 1
        }
        return count
    }

    /// Runs `body` in a transaction: committed when `body` returns, rolled back when it (or the commit) throws.
    ///
    /// The outermost call uses `BEGIN IMMEDIATE`, taking the write lock up front so that two writers wait on the
    /// busy timeout instead of deadlocking on a read-to-write upgrade. A call nested inside a transaction uses a
    /// savepoint, so only the inner work is undone when the inner body throws.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction {
            savepointCounter += 1
            let name = "pipec_savepoint_\(savepointCounter)"
            try execute("SAVEPOINT \(name)")
            do {
                let result = try body()
                try execute("RELEASE \(name)")
                return result
            } catch {
                // The original error matters more than a failed rollback; the outer transaction sees the state.
                try? execute("ROLLBACK TO \(name); RELEASE \(name)")
                throw error
            }
        }
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL); only roll back what is open.
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Whether a transaction is open on this connection (SQLite's autocommit mode is off).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection (not counting triggers).
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// Rows changed since the connection was opened.
    public var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }

    /// The rowid of the most recent successful INSERT on this connection (0 if none).
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Stops the statement running on this connection; it fails with ``SQLiteError/interrupted``.
    /// From another thread or task, call ``interrupter`` instead (this object is not `Sendable`).
    public func interrupt() { interrupter.interrupt() }

    // MARK: - Statement text for error messages

    /// The text between two pointers into a NUL-terminated UTF-8 buffer, without surrounding whitespace, and
    /// how many leading bytes were trimmed (to rebase SQLite's error offset).
    static func trimmedText(from start: UnsafePointer<CChar>, to end: UnsafePointer<CChar>) -> (text: String, skipped: Int) {
        let bytes = UnsafeRawBufferPointer(start: start, count: end - start)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d || $0 == 0x0c }
        var lower = 0
        var upper = bytes.count
        while lower < upper && isSpace(bytes[lower]) { lower += 1 }
        while upper > lower && isSpace(bytes[upper - 1]) { upper -= 1 }
        return (String(decoding: bytes[lower..<upper], as: UTF8.self), lower)
    }

    /// The statement that starts at `start` when preparing it failed (the tail pointer is not reliable then):
    /// the shortest text up to a `;` that SQLite deems a complete statement, else everything up to `end`.
    static func failingStatement(from start: UnsafePointer<CChar>, to end: UnsafePointer<CChar>) -> (text: String, skipped: Int) {
        var probe = start
        while probe < end {
            if probe.pointee == 0x3b {  // ';'
                let candidate = String(decoding: UnsafeRawBufferPointer(start: start, count: probe - start + 1), as: UTF8.self)
                if sqlite3_complete(candidate) != 0 { return trimmedText(from: start, to: probe + 1) }
            }
            probe += 1
        }
        return trimmedText(from: start, to: end)
    }
}

@available(*, unavailable, message: "use a connection from one task at a time; share its `interrupter` instead")
extension SQLiteDatabase: Sendable {}
