/// Where a ClickHouse server is and how to talk to it.
public struct ClickHouseConfig: Sendable {
    /// The HTTP interface, e.g. `http://127.0.0.1:8123`.
    public var url: String
    public var user: String?
    public var password: String?
    public var database: String?
    /// Sent as `max_execution_time` with every query, so a query the client stops waiting for does not run on
    /// (ClickHouse keeps running a query whose client went away).
    public var maxExecutionSeconds: Int
    /// Further settings sent as URL parameters with every query.
    public var settings: [(String, String)]

    public init(url: String, user: String? = nil, password: String? = nil, database: String? = nil,
                maxExecutionSeconds: Int = 3600, settings: [(String, String)] = []) {
        var trimmed = url
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.url = trimmed
        self.user = user
        self.password = password
        self.database = database
        self.maxExecutionSeconds = maxExecutionSeconds
        self.settings = settings
    }
}
