import PipecHTTP
import PipecIO

/// Builds SigV4-signed requests the way libcurl 7.88 can sign them so that AWS (and moto with authentication on)
/// verifies them: the payload hash sent as `x-amz-content-sha256`, query parameters sorted, `name=` for bare
/// sub-resources.
struct SignedRequest {
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    static func make(method: String, url: String, query: [(String, String)], headers: [(name: String, value: String)],
                     payloadHash: String, service: String, region: String, credentials: AWSCredentials?,
                     timeoutMilliseconds: Int? = nil) -> HTTPRequest {
        let fullURL = query.isEmpty ? url : url + "?" + URLEncoding.query(query)
        var request = HTTPRequest(method: method, url: fullURL, headers: headers, timeoutMilliseconds: timeoutMilliseconds)
        request.setHeader("x-amz-content-sha256", payloadHash)
        if let credentials {
            if let token = credentials.sessionToken { request.setHeader("x-amz-security-token", token) }
            request.authentication = .awsSigV4(provider: "aws:amz:\(region):\(service)", accessKey: credentials.accessKey, secretKey: credentials.secretKey)
        }
        return request
    }

    static func payloadHash(_ bytes: [UInt8]) -> String {
        var hash = SHA256()
        hash.update(bytes)
        return hash.hexDigest()
    }
}
