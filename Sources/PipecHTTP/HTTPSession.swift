internal import CCurl
import Foundation

/// Sends HTTP requests one at a time over a reused libcurl handle (keep-alive to the same server). Bodies stream
/// both ways: the request body is pulled while it is sent, the response body is handed over as it arrives, so
/// neither is ever held whole. Not for concurrent use: each thread that needs one opens its own.
public final class HTTPSession: @unchecked Sendable {
    private let handle: CurlHandle

    public init() throws(HTTPError) {
        handle = try CurlHandle()
    }

    /// Runs `request`. `onHead` sees the status and headers before any body byte; `onData` gets the body in the
    /// pieces libcurl reads. `shouldCancel` is asked several times a second; true aborts with `.cancelled`. An error
    /// thrown by a callback aborts the transfer and is rethrown as is.
    @discardableResult
    public func perform(_ request: HTTPRequest, body: HTTPBody = .none, shouldCancel: () -> Bool = { false },
                        onHead: (HTTPResponseHead) throws -> Void = { _ in },
                        onData: (UnsafeRawBufferPointer) throws -> Void) throws -> HTTPResponseHead {
        try withoutActuallyEscaping(shouldCancel) { shouldCancel in
            try withoutActuallyEscaping(onHead) { onHead in
                try withoutActuallyEscaping(onData) { onData in
                    let transfer = Transfer(shouldCancel: shouldCancel, onHead: onHead, onData: onData)
                    return try run(request, body: body, transfer: transfer)
                }
            }
        }
    }

    /// Runs `request` and returns the whole response body, refusing bodies over `limit` bytes.
    public func send(_ request: HTTPRequest, body: HTTPBody = .none, limit: Int = 64 << 20,
                     shouldCancel: () -> Bool = { false }) throws -> HTTPResponse {
        var bytes: [UInt8] = []
        let head = try perform(request, body: body, shouldCancel: shouldCancel) { chunk in
            guard bytes.count + chunk.count <= limit else {
                throw HTTPError.transport("the response of \(request.method) \(request.url) is larger than \(limit) bytes", code: nil, kind: .other)
            }
            bytes.append(contentsOf: chunk)
        }
        return HTTPResponse(head: head, body: bytes)
    }

    private func run(_ request: HTTPRequest, body: HTTPBody, transfer: Transfer) throws -> HTTPResponseHead {
        handle.reset()
        handle.set(CURLOPT_URL, request.url)
        handle.set(CURLOPT_NOSIGNAL, 1)
        handle.set(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeoutMilliseconds)
        if let t = request.timeoutMilliseconds { handle.set(CURLOPT_TIMEOUT_MS, t) }
        handle.set(CURLOPT_BUFFERSIZE, 256 << 10)
        handle.set(CURLOPT_TCP_KEEPALIVE, 1)
        if request.acceptsCompression { handle.set(CURLOPT_ACCEPT_ENCODING, "") }
        // Uploads go out in large writes: small ones cost throughput on bulk inserts.
        handle.set(CURLOPT_UPLOAD_BUFFERSIZE, 1 << 20)

        var headerLines = request.headers.map { "\($0.name): \($0.value)" }
        switch body {
        case .none:
            switch request.method {
            case "GET": handle.set(CURLOPT_HTTPGET, 1)
            case "HEAD": handle.set(CURLOPT_NOBODY, 1)
            default:
                handle.set(CURLOPT_CUSTOMREQUEST, request.method)
                if request.method == "POST" || request.method == "PUT" {
                    handle.set(CURLOPT_POST, 1)
                    handle.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: 0)
                    handle.set(CURLOPT_COPYPOSTFIELDS, "")
                }
            }
        case .bytes(let bytes):
            // Sent as POSTFIELDS (a copy libcurl owns): small bodies, sent with their length.
            handle.set(CURLOPT_POST, 1)
            handle.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(bytes.count))
            if bytes.isEmpty {
                handle.set(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                bytes.withUnsafeBytes { handle.set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
            }
            if request.method != "POST" { handle.set(CURLOPT_CUSTOMREQUEST, request.method) }
        case .stream(let length, let next):
            transfer.nextChunk = next
            handle.set(CURLOPT_UPLOAD, 1)
            if let length { handle.set(CURLOPT_INFILESIZE_LARGE, offset: length) } else { headerLines.append("Transfer-Encoding: chunked") }
            if request.method != "PUT" { handle.set(CURLOPT_CUSTOMREQUEST, request.method) }
            // No `Expect: 100-continue` round trip before each upload.
            headerLines.append("Expect:")
        }
        let sendsBody = !["GET", "HEAD", "DELETE"].contains(request.method)
        if sendsBody && !headerLines.contains(where: { $0.lowercased().hasPrefix("content-type:") }) {
            // libcurl would say application/x-www-form-urlencoded, which some servers (moto) parse as a form.
            headerLines.append("Content-Type: application/octet-stream")
        }
        handle.set(CURLOPT_HTTPHEADER, lines: headerLines)

        switch request.authentication {
        case .basic(let user, let password)?:
            handle.set(CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC, a cast macro Swift does not import
            handle.set(CURLOPT_USERNAME, user)
            handle.set(CURLOPT_PASSWORD, password)
        case nil:
            break
        }

        let context = Unmanaged.passUnretained(transfer).toOpaque()
        handle.set(CURLOPT_HEADERDATA, pointer: context)
        handle.set(CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            transfer.headerLine(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        handle.set(CURLOPT_WRITEDATA, pointer: context)
        handle.set(CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.received(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
        }
        handle.set(CURLOPT_READDATA, pointer: context)
        handle.set(CURLOPT_READFUNCTION) { buffer, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.fill(UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
        }
        handle.set(CURLOPT_NOPROGRESS, 0)
        handle.set(CURLOPT_XFERINFODATA, pointer: context)
        handle.setProgress { context, _, _, _, _ in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.checkCancel() ? 1 : 0
        }

        do {
            try withExtendedLifetime(transfer) { try handle.perform() }
        } catch {
            if let failure = transfer.failure { throw failure }
            throw error
        }
        if let failure = transfer.failure { throw failure }
        let head = try transfer.finishHead(status: handle.info(CURLINFO_RESPONSE_CODE))
        return head
    }
}

/// The state of one transfer, reached from libcurl's C callbacks through an opaque pointer.
private final class Transfer {
    let shouldCancel: () -> Bool
    let onHead: (HTTPResponseHead) throws -> Void
    let onData: (UnsafeRawBufferPointer) throws -> Void
    var nextChunk: (() throws -> [UInt8]?)?
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var uploadDone = false
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var headDelivered = false
    /// The first error a callback raised; libcurl only learns that the transfer must stop.
    var failure: Error?

    init(shouldCancel: @escaping () -> Bool, onHead: @escaping (HTTPResponseHead) throws -> Void,
         onData: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.shouldCancel = shouldCancel
        self.onHead = onHead
        self.onData = onData
    }

    func headerLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new status line (after `100 Continue`, or a redirect): the headers so far were not the response's.
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = []
        } else if let colon = line.firstIndex(of: ":") {
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
    }

    private func deliverHead() throws {
        guard !headDelivered else { return }
        headDelivered = true
        try onHead(HTTPResponseHead(status: status, headers: headers))
    }

    func received(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard failure == nil else { return false }
        do {
            try deliverHead()
            try onData(bytes)
            return true
        } catch {
            failure = error
            return false
        }
    }

    func finishHead(status final: Int) throws -> HTTPResponseHead {
        if status == 0 { status = final }
        try deliverHead()
        return HTTPResponseHead(status: status, headers: headers)
    }

    /// Copies the next upload bytes into libcurl's buffer; 0 ends the body.
    func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard failure == nil else { return Int(CURL_READFUNC_ABORT) }
        guard let nextChunk else { return 0 }
        var written = 0
        while written < buffer.count {
            if pendingOffset == pending.count {
                if uploadDone { break }
                do {
                    guard let chunk = try nextChunk(), !chunk.isEmpty else {
                        uploadDone = true
                        break
                    }
                    pending = chunk
                    pendingOffset = 0
                } catch {
                    failure = error
                    return Int(CURL_READFUNC_ABORT)
                }
            }
            let n = min(buffer.count - written, pending.count - pendingOffset)
            pending.withUnsafeBytes { src in
                (buffer.baseAddress! + written).copyMemory(from: src.baseAddress! + pendingOffset, byteCount: n)
            }
            written += n
            pendingOffset += n
            // Hand over what we have rather than wait for a second chunk: keeps the pipe moving.
            if written > 0 && pendingOffset == pending.count { break }
        }
        return written
    }

    func checkCancel() -> Bool {
        if failure != nil { return true }
        if shouldCancel() {
            failure = HTTPError.cancelled
            return true
        }
        return false
    }
}
