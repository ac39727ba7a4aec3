import Foundation
import PipecHTTP
import PipecIO

/// AWS Signature Version 4, computed here rather than by libcurl: libcurl 7.88 hashes only bodies given as
/// POSTFIELDS, so a streamed upload would be signed with the wrong payload hash. Signing ourselves lets every
/// body stream and keeps the canonical request in one place.
struct SigV4 {
    let credentials: AWSCredentials
    let region: String
    let service: String

    /// The headers to add to a request: `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (with
    /// temporary credentials) and `Authorization`. `path` is as sent (already URI-encoded), `query` unencoded,
    /// `headers` those the request sends that should be signed (`content-type`, `range`, ...).
    func sign(method: String, host: String, path: String, query: [(String, String)], headers: [(name: String, value: String)],
              payloadHash: String, date: Date = Date()) -> [(name: String, value: String)] {
        let amzDate = Self.timestamp(date)
        let day = String(amzDate.prefix(8))
        var signed: [(String, String)] = [("host", host), ("x-amz-content-sha256", payloadHash), ("x-amz-date", amzDate)]
        if let token = credentials.sessionToken { signed.append(("x-amz-security-token", token)) }
        for (name, value) in headers { signed.append((name.lowercased(), value)) }
        signed.sort { $0.0 < $1.0 }
        let canonicalHeaders = signed.map { "\($0.0):\($0.1.trimmingCharacters(in: .whitespaces))\n" }.joined()
        let signedNames = signed.map(\.0).joined(separator: ";")
        let encoded: [(String, String)] = query.map { (URLEncoding.encode($0.0), URLEncoding.encode($0.1)) }
        let sorted = encoded.sorted { (a: (String, String), b: (String, String)) -> Bool in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        let canonicalQuery = sorted.map { (pair: (String, String)) -> String in pair.0 + "=" + pair.1 }.joined(separator: "&")
        let canonicalRequest = [method, path.isEmpty ? "/" : path, canonicalQuery, canonicalHeaders, signedNames, payloadHash].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(SHA256.hex(canonicalRequest))"
        var key = Self.hmac(Array("AWS4\(credentials.secretKey)".utf8), Array(day.utf8))
        for part in [region, service, "aws4_request"] { key = Self.hmac(key, Array(part.utf8)) }
        let signature = Self.hex(Self.hmac(key, Array(stringToSign.utf8)))
        var out: [(name: String, value: String)] = [("x-amz-date", amzDate), ("x-amz-content-sha256", payloadHash)]
        if let token = credentials.sessionToken { out.append(("x-amz-security-token", token)) }
        out.append(("Authorization", "AWS4-HMAC-SHA256 Credential=\(credentials.accessKey)/\(scope), SignedHeaders=\(signedNames), Signature=\(signature)"))
        return out
    }

    /// `20130524T000000Z`.
    static func timestamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    static func hmac(_ key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticate(message, key: key)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        Hex.lowercase(bytes)
    }
}
