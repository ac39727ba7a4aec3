internal import CLibPQ

/// A failure talking to PostgreSQL: a server error with its fields, a connection failure, or misuse detected
/// on the client side. Server notices (``PGConnection/noticeHandler``) arrive in the same shape, with severity
/// `NOTICE` or `WARNING`.
///
/// Server errors are read from the `PGresult` with `PQresultErrorField` when the result arrives (in
/// ``init(result:statement:)``, the one place that does it): the result is cleared right after, and
/// `PQerrorMessage` belongs to the connection and changes with its next call.
public struct PGError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server reported an error for a statement (``sqlstate`` is set).
        case server
        /// The connection could not be made, or broke (libpq's message; a password is never included).
        case connection
        /// pipec used the connection wrongly for the statement given (e.g. a COPY through `execute`), or a
        /// COPY data source threw and the COPY was aborted.
        case client
    }

    public let kind: Kind
    /// The five-character SQLSTATE, e.g. `23505` for a unique violation, `57014` for a cancelled query.
    public let sqlstate: String?
    /// `ERROR`, `FATAL` or `PANIC`, never translated (`PG_DIAG_SEVERITY_NONLOCALIZED`).
    public let severity: String?
    /// The primary message (for connection errors: libpq's message with any password replaced by `***`).
    public let message: String
    public let detail: String?
    public let hint: String?
    /// Where the error is in ``statement``: 1-based, counted in characters (not bytes), as PostgreSQL reports it.
    public let position: Int?
    /// The call stack inside the server (PL/pgSQL functions, COPY line numbers such as `COPY t, line 3`).
    public let context: String?
    /// The violated constraint's name, for integrity errors.
    public let constraint: String?
    /// The SQL that was sent, as given (all of it when several statements were sent together).
    public let statement: String?

    public init(kind: Kind, sqlstate: String? = nil, severity: String? = nil, message: String, detail: String? = nil,
                hint: String? = nil, position: Int? = nil, context: String? = nil, constraint: String? = nil,
                statement: String? = nil) {
        self.kind = kind
        self.sqlstate = sqlstate
        self.severity = severity
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
        self.context = context
        self.constraint = constraint
        self.statement = statement
    }

    /// The error carried by a failed result. Results made by libpq itself (a lost connection) have no SQLSTATE;
    /// their message is `PQresultErrorMessage`, and they count as ``Kind/connection`` errors.
    init(result: OpaquePointer, statement: String?) {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue ?? 0)) else { return nil }
            return String(cString: value)
        }
        let sqlstate = field("C")
        var message = field("M")
        if message == nil {
            message = String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines()
        }
        self.init(kind: sqlstate == nil ? .connection : .server,
                  sqlstate: sqlstate,
                  severity: field("V") ?? field("S"),
                  message: message ?? "unknown error",
                  detail: field("D"),
                  hint: field("H"),
                  position: field("P").flatMap { Int($0) },
                  context: field("W"),
                  constraint: field("n"),
                  statement: statement)
    }

    /// The connection's current error (`PQerrorMessage`), for calls that fail without a result.
    static func connection(_ handle: OpaquePointer, statement: String?) -> PGError {
        PGError(kind: .connection, message: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines(),
                statement: statement)
    }

    static func client(_ message: String, statement: String?) -> PGError {
        PGError(kind: .client, message: message, statement: statement)
    }

    /// `ERROR 23505: message` followed by detail, hint, position and statement lines when present.
    public var description: String {
        var text = [severity, sqlstate].compactMap { $0 }.joined(separator: " ")
        text += text.isEmpty ? message : ": " + message
        if let detail { text += "\n  detail: \(detail)" }
        if let hint { text += "\n  hint: \(hint)" }
        if let context { text += "\n  context: \(context)" }
        if let statement {
            text += "\n  in: \(statement)"
            if let position { text += " (at character \(position))" }
        }
        return text
    }
}
