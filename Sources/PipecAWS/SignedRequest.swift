import Foundation
import PipecHTTP
import PipecIO

/// Builds requests to AWS endpoints, signed with SigV4 when there are credentials (unsigned otherwise).
struct SignedRequest {
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// `base` is scheme and host (`http://127.0.0.1:5000`), `path` the URI-encoded path, `query` unencoded.
    static func make(method: String, base: String, path: String, query: [(String, String)], headers: [(name: String, value: String)],
                     payloadHash: String, service: String, region: String, credentials: AWSCredentials?,
                     timeoutMilliseconds: Int? = nil) -> HTTPRequest {
        let fullURL = base + path + (query.isEmpty ? "" : "?" + URLEncoding.query(query))
        var request = HTTPRequest(method: method, url: fullURL, headers: headers, timeoutMilliseconds: timeoutMilliseconds)
        guard let credentials else {
            request.setHeader("x-amz-content-sha256", payloadHash)
            return request
        }
        let host = base.range(of: "://").map { String(base[$0.upperBound...]) } ?? base
        let signable = headers.filter { ["content-type", "range", "if-match", "x-amz-target"].contains($0.name.lowercased()) || $0.name.lowercased().hasPrefix("x-amz-") }
        for header in SigV4(credentials: credentials, region: region, service: service)
            .sign(method: method, host: host, path: path, query: query, headers: signable, payloadHash: payloadHash) {
            request.setHeader(header.name, header.value)
        }
        return request
    }

    static func payloadHash(_ bytes: [UInt8]) -> String {
        var hash = SHA256()
        hash.update(bytes)
        return hash.hexDigest()
    }
}
