internal import CZlib

/// A zlib inflate stream reading one gzip (or zlib) member at a time.
///
/// **Ownership.** As for ``GzipDeflater``: the `z_stream` sits at a fixed heap address owned by this object.
/// Input pointers are set for the length of one call only, so no Swift array is borrowed beyond it.
final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>

    init() throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 32: detect the gzip or zlib header automatically.
        let status = inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw GzipError.zlib(call: "inflateInit2", status: status)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates from the start of `input` into at most `maxCount` new bytes.
    ///
    /// - Returns: the bytes produced, how many input bytes zlib took, and whether the member ended (its trailer
    ///   checked); after the end, ``reset()`` must come before the next member's bytes.
    /// - Throws: ``GzipError/corrupt(offset:reason:)`` with `offset` relative to `input` (the caller adds its own).
    func inflate(_ input: ArraySlice<UInt8>, maxCount: Int) throws -> (bytes: [UInt8], consumed: Int, endOfMember: Bool) {
        precondition(maxCount > 0 && maxCount <= Int(UInt32.max))
        let available = min(input.count, Int(UInt32.max))
        var ended = false
        var consumed = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: maxCount) { output, count in
            try input.withUnsafeBufferPointer { buffer in
                stream.pointee.next_in = buffer.baseAddress.map(UnsafeMutablePointer.init(mutating:))
                stream.pointee.avail_in = UInt32(available)
                stream.pointee.next_out = output.baseAddress
                stream.pointee.avail_out = UInt32(maxCount)
                defer {
                    stream.pointee.next_in = nil
                    stream.pointee.next_out = nil
                }
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                consumed = available - Int(stream.pointee.avail_in)
                count = maxCount - Int(stream.pointee.avail_out)
                switch status {
                case Z_OK, Z_BUF_ERROR:
                    break
                case Z_STREAM_END:
                    ended = true
                case Z_DATA_ERROR, Z_NEED_DICT:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                    throw GzipError.corrupt(offset: consumed, reason: reason)
                default:
                    throw GzipError.zlib(call: "inflate", status: status)
                }
            }
        }
        return (bytes, consumed, ended)
    }

    /// Prepares for the next member of a multi-member file.
    func reset() throws {
        let status = inflateReset(stream)
        guard status == Z_OK else { throw GzipError.zlib(call: "inflateReset", status: status) }
    }
}
