import Foundation

/// Reads a file in fixed-size chunks with `read(2)`, one chunk in memory at a time: the source for
/// ``PGConnection/copyIn(_:fromFileAt:chunkSize:)``. Owns the file descriptor and closes it in `deinit`.
final class FileChunkReader {
    private let descriptor: Int32
    private let chunkSize: Int
    let path: String

    init(path: String, chunkSize: Int) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw PGError.client("cannot open \(path): \(String(cString: strerror(errno)))", statement: nil)
        }
        self.descriptor = descriptor
        self.chunkSize = max(1, chunkSize)
        self.path = path
    }

    deinit { close(descriptor) }

    /// The next chunk (up to `chunkSize` bytes), or nil at the end of the file.
    func next() throws -> [UInt8]? {
        var failure: Int32 = 0
        let chunk = [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            while count < chunkSize {
                let n = read(descriptor, base + count, chunkSize - count)
                if n > 0 {
                    count += n
                } else if n == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if failure != 0 {
            throw PGError.client("cannot read \(path): \(String(cString: strerror(failure)))", statement: nil)
        }
        return chunk.isEmpty ? nil : chunk
    }
}
