/// One HTTP request: method, URL, headers, how it authenticates, and its limits. The body is given to
/// `HTTPSession.perform` separately, since a streamed body is a closure that lives only for the transfer.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var authentication: HTTPAuthentication?
    /// The whole transfer's limit; nil for none (long streams rely on cancellation and the server's own limits).
    public var timeoutMilliseconds: Int?
    public var connectTimeoutMilliseconds: Int
    /// Ask for gzip/deflate responses and hand over the decoded body (API reports are large and compress well).
    public var acceptsCompression = false

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                authentication: HTTPAuthentication? = nil, timeoutMilliseconds: Int? = nil, connectTimeoutMilliseconds: Int = 10_000) {
        self.method = method
        self.url = url
        self.headers = headers
        self.authentication = authentication
        self.timeoutMilliseconds = timeoutMilliseconds
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
    }

    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append((name, value))
    }
}

/// Credentials libcurl sends itself (AWS requests are signed by PipecAWS, which adds its own headers).
public enum HTTPAuthentication: Sendable {
    case basic(user: String, password: String)
}

/// What a request sends.
public enum HTTPBody {
    case none
    case bytes([UInt8])
    /// Pulled chunk by chunk while the request is sent (nil or empty = the end); `length` when known up front,
    /// otherwise the body goes chunked.
    case stream(length: Int64?, next: () throws -> [UInt8]?)
}
