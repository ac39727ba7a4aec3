/// The keys a request is signed with. Without keys, requests go unsigned (public buckets, local test servers).
public struct AWSCredentials: Sendable {
    public var accessKey: String
    public var secretKey: String
    /// Temporary credentials (STS) carry a session token, sent as `x-amz-security-token`.
    public var sessionToken: String?

    public init(accessKey: String, secretKey: String, sessionToken: String? = nil) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.sessionToken = sessionToken
    }

    /// The explicit keys when both are given, else the standard environment variables, else none.
    public static func resolve(accessKey: String?, secretKey: String?, environment: [String: String]) -> AWSCredentials? {
        if let a = accessKey, !a.isEmpty, let s = secretKey, !s.isEmpty {
            return AWSCredentials(accessKey: a, secretKey: s, sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        }
        if let a = environment["AWS_ACCESS_KEY_ID"], !a.isEmpty, let s = environment["AWS_SECRET_ACCESS_KEY"], !s.isEmpty {
            return AWSCredentials(accessKey: a, secretKey: s, sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        }
        return nil
    }
}
