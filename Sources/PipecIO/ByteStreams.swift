/// A pull-based byte stream: loads and exports move data through these in fixed-size chunks, so memory stays
/// constant whatever the size of the data.
public protocol ByteSource {
    /// Up to `maxCount` more bytes, or an empty array at the end.
    mutating func read(maxCount: Int) throws -> [UInt8]
}

/// Where chunks of bytes go (a file, an HTTP upload, a COPY FROM STDIN).
public protocol ByteSink {
    mutating func write(_ bytes: [UInt8]) throws
    /// Called once after the last write.
    mutating func finish() throws
    /// Gives up: what was written must not appear (a temporary file removed, a multipart upload aborted).
    mutating func abort()
}

extension ByteSink {
    public mutating func abort() {}
}

/// Bytes already in memory (tests, small bodies).
public struct MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    public mutating func read(maxCount: Int) throws -> [UInt8] {
        let end = min(bytes.count, offset + maxCount)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// Collects everything written (tests, small results).
public struct MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public private(set) var finished = false

    public init() {}
    public mutating func write(_ chunk: [UInt8]) throws { bytes += chunk }
    public mutating func finish() throws { finished = true }
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
