import Foundation
import PipecIO

/// A response body read on demand: the transfer runs on its own thread and hands chunks over through a small
/// bounded queue, so a load can pull an HTTP body (an API report, an S3 object) at its own pace in constant
/// memory. `head()` waits for the status and headers; `close()` stops the transfer early.
public final class HTTPBodyStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var responseHead: HTTPResponseHead?
    private var finished = false
    private var failure: Error?
    private var closed = false
    private var thread: Thread?
    private let capacity = 8

    /// Starts `request` (with `body`, if any) on `session`, which the stream then owns until the body ends.
    public init(session: HTTPSession, request: HTTPRequest, body: [UInt8]? = nil, shouldCancel: @escaping @Sendable () -> Bool = { false }) {
        let thread = Thread { [self] in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(512 << 10)
            do {
                let head = try session.perform(request, body: body.map { .bytes($0) } ?? .none, shouldCancel: { [self] in shouldCancel() || isClosed }, onHead: { [self] head in
                    publish(head: head)
                }) { [self] bytes in
                    buffer.append(contentsOf: bytes)
                    if buffer.count >= 256 << 10 {
                        try put(buffer)
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                publish(head: head)
                if !buffer.isEmpty { try put(buffer) }
                end(nil)
            } catch {
                end(error)
            }
        }
        self.thread = thread
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit { close() }

    private var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    private func publish(head: HTTPResponseHead) {
        condition.lock()
        if responseHead == nil { responseHead = head }
        condition.broadcast()
        condition.unlock()
    }

    private func put(_ chunk: [UInt8]) throws {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !closed { condition.wait() }
        if closed { throw HTTPError.cancelled }
        chunks.append(chunk)
        condition.broadcast()
    }

    private func end(_ error: Error?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The status and headers; throws when the request failed before any response.
    public func head() throws -> HTTPResponseHead {
        condition.lock()
        defer { condition.unlock() }
        while responseHead == nil && !finished { condition.wait() }
        if let responseHead { return responseHead }
        throw failure ?? HTTPError.transport("no response", code: nil, kind: .other)
    }

    /// The next piece of the body; empty at the end. A transfer that failed midway throws here.
    public func next() throws -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished { condition.wait() }
        if !chunks.isEmpty {
            condition.broadcast()
            return chunks.removeFirst()
        }
        if let failure { throw failure }
        return []
    }

    /// The whole (remaining) body, for error documents; at most `limit` bytes are kept.
    public func rest(limit: Int = 1 << 20) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let chunk = try next()
            if chunk.isEmpty { return bytes }
            if bytes.count < limit { bytes += chunk.prefix(limit - bytes.count) }
        }
    }

    /// Stops the transfer (if still running) and waits for its thread to end.
    public func close() {
        condition.lock()
        closed = true
        chunks.removeAll()
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}

/// An `HTTPBodyStream` as a `ByteSource`, serving reads of any size from the chunks the transfer delivers.
public struct HTTPBodySource: ByteSource {
    public let stream: HTTPBodyStream
    private var current: [UInt8] = []
    private var offset = 0

    public init(_ stream: HTTPBodyStream) { self.stream = stream }

    public mutating func read(maxCount: Int) throws -> [UInt8] {
        if offset == current.count {
            current = try stream.next()
            offset = 0
            if current.isEmpty { return [] }
        }
        if offset == 0 && current.count <= maxCount {
            offset = current.count
            return current
        }
        let end = min(current.count, offset + maxCount)
        defer { offset = end }
        return Array(current[offset..<end])
    }
}
