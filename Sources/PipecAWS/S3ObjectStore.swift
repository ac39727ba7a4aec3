import Foundation
import PipecHTTP
import PipecIO

/// An `s3` resource as an object store: loads stream objects down, exports stream them up in parts, sensors ask
/// HEAD and ListObjectsV2.
public struct S3ObjectStore: ObjectStore {
    public let client: S3Client

    public init(_ config: S3Config) throws {
        client = try S3Client(config)
    }

    public func reader(for key: String) throws -> any ByteSource {
        try S3ObjectReader(client: client, key: key)
    }

    public func writer(for key: String, contentType: String) throws -> any ByteSink {
        S3ObjectWriter(upload: S3Upload(client: client, key: key, contentType: contentType))
    }

    public func exists(_ key: String) throws -> Bool {
        try wrap { try client.head(key) != nil }
    }

    public func list(prefix: String) throws -> [String] {
        try wrap { try client.list(prefix: prefix).sorted() }
    }

    public func delete(_ key: String) throws {
        try wrap { try client.delete(key) }
    }

    public func describe(_ key: String) -> String { client.describe(key) }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as S3Error {
            throw ObjectStoreError.io(e.description)
        } catch let e as HTTPError {
            let message = "S3 at \(client.config.endpoint): \(e)"
            throw e.isUnreachable ? ObjectStoreError.unreachable(message) : ObjectStoreError.io(message)
        }
    }
}

/// Streams an object's bytes. A connection lost midway is resumed with a ranged GET from the last byte read,
/// pinned to the object's ETag, so a long read survives a dropped connection without re-reading or splicing.
struct S3ObjectReader: ByteSource {
    let client: S3Client
    let key: String
    private var source: HTTPBodySource
    private var offset: Int64 = 0
    private var etag: String?
    private var resumes = 0

    init(client: S3Client, key: String) throws {
        self.client = client
        self.key = key
        (source, etag) = try Self.open(client, key, offset: 0, etag: nil)
    }

    private static func open(_ client: S3Client, _ key: String, offset: Int64, etag: String?) throws -> (HTTPBodySource, String?) {
        let stream = try client.openRead(key, offset: offset, etag: etag)
        let head = try stream.head()
        guard head.isSuccess else {
            let body = (try? stream.rest(limit: 64 << 10)) ?? []
            let error = S3Error.from(HTTPResponse(head: head, body: body), operation: "GET \(client.describe(key))")
            if error.isNotFound { throw ObjectStoreError.notFound(client.describe(key)) }
            throw ObjectStoreError.io(error.description)
        }
        if offset > 0 && head.status != 206 {
            throw ObjectStoreError.io("GET \(client.describe(key)): the server ignored the range to resume from byte \(offset)")
        }
        return (HTTPBodySource(stream), head.header("ETag") ?? etag)
    }

    mutating func read(maxCount: Int) throws -> [UInt8] {
        while true {
            do {
                let bytes = try source.read(maxCount: maxCount)
                offset += Int64(bytes.count)
                return bytes
            } catch let e as HTTPError where e.isTransient && resumes < 3 {
                resumes += 1
                (source, etag) = try Self.open(client, key, offset: offset, etag: etag)
            } catch let e as HTTPError {
                throw ObjectStoreError.io("GET \(client.describe(key)) failed after \(offset) bytes: \(e)")
            }
        }
    }
}

/// Collects written bytes into parts: an object that fits in one part is PUT whole; a larger one becomes a
/// multipart upload sent part by part, so memory stays at one part whatever the size.
struct S3ObjectWriter: ByteSink {
    let upload: S3Upload

    mutating func write(_ bytes: [UInt8]) throws { try upload.write(bytes) }
    mutating func finish() throws { try upload.finish() }
    mutating func abort() { upload.abort() }
}

/// One object going up. Parts are at least `partSize` (the chunks written are not cut, so no part is copied out of
/// a larger buffer) and each goes up on a background queue while the next one fills: one part in flight, one
/// filling, so memory stays at about two parts and the export and the upload overlap.
final class S3Upload: @unchecked Sendable {
    /// A client of its own: its parts do not wait behind other requests on the store's shared connection.
    let client: S3Client
    let key: String
    let contentType: String
    private var buffer: [UInt8] = []
    private var uploadID: String?
    private var parts = 0
    private var done = false
    private let queue = DispatchQueue(label: "pipec.s3.upload")
    /// Taken while a part is in flight.
    private let inFlight = DispatchSemaphore(value: 1)
    private let lock = NSLock()
    private var etags: [Int: String] = [:]
    private var failure: Error?

    init(client: S3Client, key: String, contentType: String) {
        self.client = (try? S3Client(client.config)) ?? client
        self.key = key
        self.contentType = contentType
    }

    /// An upload neither finished nor aborted (its writer dropped after an error) is aborted, so no invisible
    /// parts are left behind to be billed.
    deinit { abort() }

    func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= client.config.partSize {
            let part = buffer
            buffer = []
            buffer.reserveCapacity(client.config.partSize + (1 << 20))
            try send(part)
        }
    }

    private func firstFailure() -> Error? { lock.withLock { failure } }

    /// Hands a part to the background queue once the previous one is up.
    private func send(_ part: [UInt8]) throws {
        do {
            if uploadID == nil { uploadID = try client.createMultipartUpload(key, contentType: contentType) }
        } catch {
            abort()
            throw ObjectStoreError.io("\(error)")
        }
        inFlight.wait()
        if let failure = firstFailure() {
            inFlight.signal()
            abort()
            throw ObjectStoreError.io("\(failure)")
        }
        parts += 1
        let number = parts, id = uploadID!
        queue.async { [self] in
            defer { inFlight.signal() }
            do {
                let etag = try client.uploadPart(key, uploadID: id, number: number, bytes: part)
                lock.withLock { etags[number] = etag }
            } catch {
                lock.withLock { if failure == nil { failure = error } }
            }
        }
    }

    /// Waits for the part in flight.
    private func drain() {
        queue.sync {}
    }

    func finish() throws {
        guard !done else { return }
        if uploadID == nil {
            do {
                try client.put(key, bytes: buffer, contentType: contentType)
            } catch {
                abort()
                throw ObjectStoreError.io("\(error)")
            }
            done = true
            buffer = []
            return
        }
        if !buffer.isEmpty { try send(buffer) }
        buffer = []
        drain()
        if let failure = firstFailure() {
            abort()
            throw ObjectStoreError.io("\(failure)")
        }
        do {
            let ordered = lock.withLock { (1...parts).map { etags[$0] ?? "" } }
            try client.completeMultipartUpload(key, uploadID: uploadID!, etags: ordered)
            done = true
        } catch {
            abort()
            throw ObjectStoreError.io("\(error)")
        }
    }

    func abort() {
        guard !done else { return }
        done = true
        buffer = []
        drain()
        if let uploadID { try? client.abortMultipartUpload(key, uploadID: uploadID) }
    }
}
