import Foundation
import PipecHTTP

/// The S3 REST calls pipec needs, signed with SigV4: GET (streamed, ranged), PUT, HEAD, DELETE, ListObjectsV2
/// with pagination, and multipart uploads. Small requests share one keep-alive session (serialized); each
/// streamed GET gets a session of its own.
public final class S3Client: @unchecked Sendable {
    public let config: S3Config
    private let session: HTTPSession
    private let lock = NSLock()

    public init(_ config: S3Config) throws {
        self.config = config
        session = try HTTPSession()
    }

    /// `s3://bucket/prefix/key`, for messages.
    public func describe(_ key: String) -> String { "s3://\(config.bucket)/\(config.prefix)\(key)" }

    /// Scheme and host of the endpoint, and any path it has (a server mounted below `/`).
    private var endpointParts: (base: String, path: String) {
        let e = config.endpoint
        guard let scheme = e.range(of: "://") else { return (e, "") }
        let rest = e[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return (e, "") }
        return (String(e[..<slash]), String(rest[slash...]))
    }

    /// Where a key lives: the URL's scheme and host, and its URI-encoded path (path-style or virtual-host).
    func location(_ key: String) -> (base: String, path: String) {
        let (base, prefix) = endpointParts
        let encoded = URLEncoding.encode(config.prefix + key, keepSlash: true)
        if config.pathStyle { return (base, "\(prefix)/\(config.bucket)/\(encoded)") }
        guard let scheme = base.range(of: "://") else { return (base, "\(prefix)/\(config.bucket)/\(encoded)") }
        return (base[..<scheme.upperBound] + config.bucket + "." + base[scheme.upperBound...], "\(prefix)/\(encoded)")
    }

    /// The bucket's own location (for listing and creating it).
    func bucketLocation() -> (base: String, path: String) {
        let (base, prefix) = endpointParts
        if config.pathStyle { return (base, "\(prefix)/\(config.bucket)") }
        guard let scheme = base.range(of: "://") else { return (base, "\(prefix)/\(config.bucket)") }
        return (base[..<scheme.upperBound] + config.bucket + "." + base[scheme.upperBound...], prefix.isEmpty ? "/" : prefix)
    }

    func request(_ method: String, _ location: (base: String, path: String), query: [(String, String)] = [],
                 headers: [(name: String, value: String)] = [], payloadHash: String = SignedRequest.emptyPayloadHash) -> HTTPRequest {
        SignedRequest.make(method: method, base: location.base, path: location.path, query: query, headers: headers, payloadHash: payloadHash,
                           service: "s3", region: config.region, credentials: config.credentials, timeoutMilliseconds: nil)
    }

    static let retryBackoff = Backoff(base: 0.2, cap: 5)

    /// A small request on the shared session; S3's error document becomes an `S3Error`. Throttling and server
    /// errors are retried with backoff, as S3 asks clients to. A body is streamed from the array (no copy).
    func send(_ request: HTTPRequest, body: [UInt8]? = nil, operation: String, allow: Set<Int> = []) throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try lock.withLock {
                    var sent = false
                    let payload: HTTPBody = body.map { bytes in
                        .stream(length: Int64(bytes.count)) {
                            defer { sent = true }
                            return sent ? nil : bytes
                        }
                    } ?? .none
                    return try session.send(request, body: payload, limit: 64 << 20)
                }
                if response.head.isSuccess || allow.contains(response.status) { return response }
                let error = S3Error.from(response, operation: operation)
                if error.isTransient && attempt < 4 {
                    Thread.sleep(forTimeInterval: Self.retryBackoff.delay(attempt: attempt))
                    continue
                }
                throw error
            } catch let e as HTTPError where e.isTransient && attempt < 4 {
                Thread.sleep(forTimeInterval: Self.retryBackoff.delay(attempt: attempt))
                _ = e
            }
        }
    }

    /// The hash signed for an object's bytes: over TLS, S3 accepts `UNSIGNED-PAYLOAD` (TLS already protects the
    /// bytes, and hashing gigabytes costs seconds); over plain HTTP the SHA-256 is signed so tampering is caught.
    func payloadHash(_ bytes: [UInt8]) -> String {
        config.endpoint.hasPrefix("https://") ? SignedRequest.unsignedPayload : SignedRequest.payloadHash(bytes)
    }

    // MARK: objects

    public struct ObjectInfo: Sendable {
        public var size: Int64
        public var etag: String?
    }

    /// HEAD: the object's size and ETag, or nil when there is none.
    public func head(_ key: String) throws -> ObjectInfo? {
        let response = try send(request("HEAD", location(key)), operation: "HEAD \(describe(key))", allow: [404])
        if response.status == 404 { return nil }
        return ObjectInfo(size: Int64(response.header("Content-Length") ?? "") ?? 0, etag: response.header("ETag"))
    }

    /// A streamed GET from `offset` on (a ranged GET when > 0), pinned to `etag` when given so a resumed read
    /// cannot splice two versions of an object. The caller checks the head's status.
    public func openRead(_ key: String, offset: Int64 = 0, etag: String? = nil, shouldCancel: @escaping @Sendable () -> Bool = { false }) throws -> HTTPBodyStream {
        var headers: [(name: String, value: String)] = []
        if offset > 0 { headers.append(("Range", "bytes=\(offset)-")) }
        if let etag { headers.append(("If-Match", etag)) }
        return HTTPBodyStream(session: try HTTPSession(), request: request("GET", location(key), headers: headers), shouldCancel: shouldCancel)
    }

    /// A byte range of an object, read whole (`range` inclusive, as HTTP counts).
    public func read(_ key: String, range: ClosedRange<Int64>) throws -> [UInt8] {
        let response = try send(request("GET", location(key), headers: [("Range", "bytes=\(range.lowerBound)-\(range.upperBound)")]),
                                operation: "GET \(describe(key))")
        return response.body
    }

    /// PUT of a whole object held in memory (small objects; large ones go up in parts).
    public func put(_ key: String, bytes: [UInt8], contentType: String) throws {
        let r = request("PUT", location(key), headers: [("Content-Type", contentType)], payloadHash: payloadHash(bytes))
        _ = try send(r, body: bytes, operation: "PUT \(describe(key))")
    }

    public func delete(_ key: String) throws {
        _ = try send(request("DELETE", location(key)), operation: "DELETE \(describe(key))", allow: [404])
    }

    /// Every key under `prefix` (relative to the store's prefix), following ListObjectsV2's continuation tokens.
    public func list(prefix: String, pageSize: Int? = nil) throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            var query: [(String, String)] = [("list-type", "2"), ("prefix", config.prefix + prefix)]
            if let pageSize { query.append(("max-keys", String(pageSize))) }
            if let token { query.append(("continuation-token", token)) }
            let response = try send(request("GET", bucketLocation(), query: query), operation: "LIST \(describe(prefix))")
            let xml = response.text
            for contents in XMLText.elements("Contents", in: xml) {
                if let key = XMLText.value(of: "Key", in: contents) { keys.append(String(key.dropFirst(config.prefix.count))) }
            }
            token = XMLText.value(of: "IsTruncated", in: xml) == "true" ? XMLText.value(of: "NextContinuationToken", in: xml) : nil
        } while token != nil
        return keys
    }

    // MARK: multipart uploads

    public func createMultipartUpload(_ key: String, contentType: String) throws -> String {
        let r = request("POST", location(key), query: [("uploads", "")], headers: [("Content-Type", contentType)])
        let response = try send(r, body: [], operation: "CREATE UPLOAD \(describe(key))")
        guard let id = XMLText.value(of: "UploadId", in: response.text) else {
            throw S3Error(status: response.status, code: "NoUploadId", message: "the reply has no UploadId", operation: "CREATE UPLOAD \(describe(key))")
        }
        return id
    }

    /// Uploads part `number` (from 1); returns its ETag for the completion. On its own session, so a part can go up
    /// while the next is being filled and small requests proceed.
    public func uploadPart(_ key: String, uploadID: String, number: Int, bytes: [UInt8]) throws -> String {
        let r = request("PUT", location(key), query: [("partNumber", String(number)), ("uploadId", uploadID)],
                        headers: [("Content-Type", "application/octet-stream")], payloadHash: payloadHash(bytes))
        let response = try send(r, body: bytes, operation: "PUT PART \(number) \(describe(key))")
        guard let etag = response.header("ETag") else {
            throw S3Error(status: response.status, code: "NoETag", message: "part \(number) was answered without an ETag", operation: "PUT PART \(describe(key))")
        }
        return etag
    }

    public func completeMultipartUpload(_ key: String, uploadID: String, etags: [String]) throws {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (i, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(i + 1)</PartNumber><ETag>\(XMLText.escape(etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let body = Array(xml.utf8)
        let r = request("POST", location(key), query: [("uploadId", uploadID)], headers: [("Content-Type", "application/xml")],
                        payloadHash: SignedRequest.payloadHash(body))
        let response = try send(r, body: body, operation: "COMPLETE UPLOAD \(describe(key))")
        // S3 can answer 200 and still report an error in the body of a completion.
        if response.text.contains("<Error>") { throw S3Error.from(response, operation: "COMPLETE UPLOAD \(describe(key))") }
    }

    public func abortMultipartUpload(_ key: String, uploadID: String) throws {
        _ = try send(request("DELETE", location(key), query: [("uploadId", uploadID)]), operation: "ABORT UPLOAD \(describe(key))", allow: [404])
    }

    /// Creates the bucket (tests and first runs against a fresh server); an existing bucket of ours is fine.
    public func createBucket() throws {
        var body: [UInt8] = []
        if config.region != "us-east-1" {
            body = Array("<CreateBucketConfiguration><LocationConstraint>\(config.region)</LocationConstraint></CreateBucketConfiguration>".utf8)
        }
        let r = request("PUT", bucketLocation(), headers: [("Content-Type", "application/xml")], payloadHash: SignedRequest.payloadHash(body))
        let response = try send(r, body: body, operation: "CREATE BUCKET \(config.bucket)", allow: [409])
        if response.status == 409, XMLText.value(of: "Code", in: response.text) != "BucketAlreadyOwnedByYou" {
            throw S3Error.from(response, operation: "CREATE BUCKET \(config.bucket)")
        }
    }
}
