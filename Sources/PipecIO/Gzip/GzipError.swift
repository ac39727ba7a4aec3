/// Why gzip data could not be read or written. Offsets count compressed bytes from the start of the stream, so
/// a message points at the damage in the file.
public enum GzipError: Error, Sendable, Hashable, CustomStringConvertible {
    /// zlib rejected the data (bad header, bad CRC, invalid block...), with zlib's own reason.
    case corrupt(offset: Int, reason: String)
    /// The input ended inside a gzip member (or was empty).
    case truncated(offset: Int)
    /// A zlib call failed for another reason (out of memory, bad parameters): a bug or a sick machine.
    case zlib(call: String, status: Int32)

    public var description: String {
        switch self {
        case .corrupt(let offset, let reason): return "corrupt gzip data at compressed byte \(offset): \(reason)"
        case .truncated(let offset) where offset == 0: return "empty input where gzip data was expected"
        case .truncated(let offset): return "gzip data ends early after \(offset) compressed bytes (truncated file?)"
        case .zlib(let call, let status): return "zlib \(call) failed with status \(status)"
        }
    }
}
