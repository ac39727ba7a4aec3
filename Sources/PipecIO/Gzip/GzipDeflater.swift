internal import CZlib

/// A zlib deflate stream that produces gzip members (RFC 1952 header and trailer, what `gzip` writes and what
/// Parquet's GZIP codec requires; a bare zlib stream is rejected by duckdb).
///
/// **Ownership.** zlib keeps pointers into its `z_stream` between calls (its internal state points back at it),
/// so the struct lives at a fixed heap address owned by this object and is released in `deinit`.
final class GzipDeflater {
    private let stream: UnsafeMutablePointer<z_stream>
    /// Where each deflate call writes before the bytes are appended to the caller's array.
    private let scratch: UnsafeMutableBufferPointer<UInt8>

    /// - Parameter level: 1 (fastest) to 9 (smallest); 6 is zlib's default trade-off.
    init(level: Int = 6) throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16 asks for a gzip wrapper instead of zlib's; deflateInit2 is a macro, hence the _ form.
        let status = deflateInit2_(stream, Int32(level), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw GzipError.zlib(call: "deflateInit2", status: status)
        }
        scratch = .allocate(capacity: 1 << 16)
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// Compresses `input`, appending whatever zlib emits to `output`. With `finish`, the member is completed
    /// (CRC and length trailer); call ``reset()`` before starting another one.
    func deflate(_ input: ArraySlice<UInt8>, finish: Bool, into output: inout [UInt8]) throws {
        precondition(input.count <= Int(UInt32.max), "deflate input larger than 4 GiB")
        try input.withUnsafeBufferPointer { buffer in
            stream.pointee.next_in = buffer.baseAddress.map(UnsafeMutablePointer.init(mutating:))
            stream.pointee.avail_in = UInt32(buffer.count)
            defer { stream.pointee.next_in = nil }
            while true {
                stream.pointee.next_out = scratch.baseAddress
                stream.pointee.avail_out = UInt32(scratch.count)
                let status = CZlib.deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH)
                // Z_BUF_ERROR only means "no progress possible", which the loop condition below also detects.
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw GzipError.zlib(call: "deflate", status: status)
                }
                let produced = scratch.count - Int(stream.pointee.avail_out)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<produced]))
                if status == Z_STREAM_END { return }
                // A full scratch buffer may hide more pending output; otherwise all input has been taken.
                if !finish && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
                if status == Z_BUF_ERROR && produced == 0 { throw GzipError.zlib(call: "deflate", status: status) }
            }
        }
    }

    /// Starts a new gzip member with the same settings, keeping the allocated state.
    func reset() throws {
        let status = deflateReset(stream)
        guard status == Z_OK else { throw GzipError.zlib(call: "deflateReset", status: status) }
    }
}
