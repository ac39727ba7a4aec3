/// Compresses everything written into one gzip member and passes it to another sink, in chunks of about 1 MiB.
///
/// Memory stays constant: input is deflated in slices of 64 KiB and output is handed on as soon as 1 MiB has
/// gathered, so the inner sink gets writes of about 1 MiB whatever the callers' write sizes. A class because it owns a zlib stream; use it from one thread at a time.
public final class GzipSink: ByteSink {
    private var inner: any ByteSink
    private let deflater: GzipDeflater
    private var pending: [UInt8] = []
    private static let chunk = 1 << 20
    private static let slice = 1 << 16

    /// - Parameters:
    ///   - inner: receives the compressed bytes; its `finish()` is called by this sink's.
    ///   - level: zlib's compression level, 1 (fastest) to 9 (smallest).
    public init(_ inner: any ByteSink, level: Int = 6) throws {
        self.inner = inner
        deflater = try GzipDeflater(level: level)
        pending.reserveCapacity(Self.chunk + 2 * Self.slice)
    }

    public func write(_ bytes: [UInt8]) throws {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = min(start + Self.slice, bytes.endIndex)
            try deflater.deflate(bytes[start..<end], finish: false, into: &pending)
            if pending.count >= Self.chunk { try flush() }
            start = end
        }
    }

    /// Ends the gzip member (zlib's Z_FINISH writes the CRC and length), then finishes the inner sink.
    public func finish() throws {
        try deflater.deflate([], finish: true, into: &pending)
        try flush()
        try inner.finish()
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        try inner.write(pending)
        pending.removeAll(keepingCapacity: true)
    }
}
