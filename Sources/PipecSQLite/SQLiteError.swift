internal import CSQLite

/// A failed SQLite call, with the SQL it was running.
///
/// Built in exactly one place (`SQLiteError.init(database:status:statement:...)`) from the connection's own
/// error state, read at once: `sqlite3_errmsg` belongs to the connection and changes with its next call.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The primary result code (e.g. ``constraint`` = 19): the low 8 bits of ``extendedCode``.
    public let code: Int32
    /// The extended result code (e.g. 2067, `SQLITE_CONSTRAINT_UNIQUE`; equal to ``code`` when there is none).
    public let extendedCode: Int32
    /// SQLite's message (`sqlite3_errmsg`), or a message of pipec's own for misuse it detects itself.
    public let message: String
    /// The one statement that failed, trimmed; for `execute` with several statements, only the failing one.
    /// Nil for errors that belong to no statement (opening the database).
    public let statement: String?
    /// Where SQLite located the error inside ``statement``: 1-based, counted in characters (not bytes).
    /// Only syntax-level errors found while preparing have one.
    public let position: Int?

    /// Primary result codes pipec reacts to. The numbers are SQLite's stable ABI.
    public static let error: Int32 = SQLITE_ERROR
    public static let busy: Int32 = SQLITE_BUSY
    public static let locked: Int32 = SQLITE_LOCKED
    public static let readOnly: Int32 = SQLITE_READONLY
    public static let interrupted: Int32 = SQLITE_INTERRUPT
    public static let cantOpen: Int32 = SQLITE_CANTOPEN
    public static let constraint: Int32 = SQLITE_CONSTRAINT
    public static let mismatch: Int32 = SQLITE_MISMATCH
    public static let misuse: Int32 = SQLITE_MISUSE
    public static let range: Int32 = SQLITE_RANGE

    public init(code: Int32, extendedCode: Int32, message: String, statement: String?, position: Int? = nil) {
        self.code = code
        self.extendedCode = extendedCode
        self.message = message
        self.statement = statement
        self.position = position
    }

    /// The error for `status` returned by a call on `database`.
    ///
    /// - Parameters:
    ///   - statement: the text of the failing statement as the caller knows it (already trimmed).
    ///   - errorOffset: `sqlite3_error_offset` converted by the caller to a byte offset into `statement`, if any.
    init(database: OpaquePointer?, status: Int32, statement: String?, errorOffset: Int? = nil) {
        let extended: Int32
        let message: String
        if let database {
            // With extended result codes switched on, `status` is already extended; errcode agrees unless a
            // later call (e.g. a finalize in a defer) overwrote the connection's error state.
            let reported = sqlite3_extended_errcode(database)
            extended = (reported & 0xff) == (status & 0xff) ? reported : status
            message = String(cString: sqlite3_errmsg(database))
        } else {
            extended = status
            message = String(cString: sqlite3_errstr(status))
        }
        var position: Int?
        if let statement, let errorOffset, errorOffset >= 0, errorOffset <= statement.utf8.count {
            let prefix = statement.utf8.prefix(errorOffset)
            position = String(decoding: prefix, as: UTF8.self).count + 1
        }
        self.init(code: extended & 0xff, extendedCode: extended, message: message, statement: statement, position: position)
    }

    /// Whether the statement stopped because of ``SQLiteDatabase/interrupt()``.
    public var isInterrupted: Bool { code == SQLiteError.interrupted }

    /// `message (code N/extended M) in: statement`, on one or more lines.
    public var description: String {
        var text = "SQLite error \(code)"
        if extendedCode != code { text += "/\(extendedCode)" }
        text += ": \(message)"
        if let position { text += " at character \(position)" }
        if let statement { text += "\n  in: \(statement)" }
        return text
    }
}
