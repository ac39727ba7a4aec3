/// A request that did not get a complete response. HTTP error statuses are not errors here: callers read the
/// status and body (ClickHouse's `Code: N`, S3's XML) and decide.
public enum HTTPError: Error, Sendable, CustomStringConvertible {
    public enum TransportKind: Sendable { case unreachable, timedOut, connectionLost, aborted, other }

    case transport(String, code: Int?, kind: TransportKind)
    /// The caller's cancellation check said stop (a timeout of the unit, Ctrl-C).
    case cancelled

    public var description: String {
        switch self {
        case .transport(let message, let code, _): return code.map { "\(message) (curl \($0))" } ?? message
        case .cancelled: return "cancelled"
        }
    }

    /// Worth retrying: the server could not be reached, went silent, or dropped the connection.
    public var isTransient: Bool {
        if case .transport(_, _, let kind) = self { return kind == .unreachable || kind == .timedOut || kind == .connectionLost }
        return false
    }

    public var isUnreachable: Bool {
        if case .transport(_, _, .unreachable) = self { return true }
        return false
    }
}
