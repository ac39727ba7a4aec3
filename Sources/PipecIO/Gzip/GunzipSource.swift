/// Decompresses a gzip stream read from another source. Several gzip members back to back (what `cat a.gz b.gz`
/// or a parallel compressor produce) read as one stream, as `gunzip` does.
///
/// Memory stays constant: compressed input is pulled 64 KiB at a time. A class because it owns a zlib stream.
public final class GunzipSource: ByteSource {
    private var base: any ByteSource
    private let inflater: GzipInflater
    private var input: [UInt8] = []
    private var offset = 0
    private var inputEnded = false
    /// Compressed bytes consumed before `input`, so errors can say where in the file they are.
    private var consumedBefore = 0
    /// True between the first byte of a member and the end of its trailer.
    private var insideMember = false
    private var membersRead = 0

    public init(_ base: any ByteSource) throws {
        self.base = base
        inflater = try GzipInflater()
    }

    public func read(maxCount: Int) throws -> [UInt8] {
        guard maxCount > 0 else { return [] }
        while true {
            if offset == input.count && !inputEnded {
                consumedBefore += input.count
                input = try base.read(maxCount: 1 << 16)
                offset = 0
                inputEnded = input.isEmpty
            }
            if offset == input.count && inputEnded && !insideMember {
                if membersRead == 0 { throw GzipError.truncated(offset: consumedBefore) }
                return []
            }
            let result: (bytes: [UInt8], consumed: Int, endOfMember: Bool)
            do {
                result = try inflater.inflate(input[offset...], maxCount: min(maxCount, Int(UInt32.max)))
            } catch GzipError.corrupt(let at, let reason) {
                throw GzipError.corrupt(offset: consumedBefore + offset + at, reason: reason)
            }
            offset += result.consumed
            insideMember = true
            if result.endOfMember {
                insideMember = false
                membersRead += 1
                try inflater.reset()
            }
            if !result.bytes.isEmpty { return result.bytes }
            if result.endOfMember { continue }
            // No output and the member goes on: zlib wants more input. With none left the file is cut short;
            // with input in hand and none taken, it would loop forever.
            if offset == input.count && inputEnded { throw GzipError.truncated(offset: consumedBefore + offset) }
            if result.consumed == 0 && offset < input.count {
                throw GzipError.corrupt(offset: consumedBefore + offset, reason: "zlib made no progress")
            }
        }
    }
}
