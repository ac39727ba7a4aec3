import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text of one input file, kept so diagnostics can quote the offending line.
public final class SourceFile: Sendable {
    public let path: String
    public let text: String
    /// UTF-8 offset where each line starts; index 0 is line 1. Found with one byte scan when first needed rather than
    /// when the file is read: for a large spec that is on the YAML tree builder's thread, which has time to spare,
    /// instead of before parsing can start.
    private let lines = Mutex<[Int]?>(nil)

    public init(path: String, text: String) {
        self.path = path
        var text = text
        text.makeContiguousUTF8()
        self.text = text
    }

    private var lineStarts: [Int] {
        lines.withLock { starts in
            if let starts { return starts }
            let found = Self.lineStarts(of: text)
            starts = found
            return found
        }
    }

    private static func lineStarts(of text: String) -> [Int] {
        var starts = [0]
        text.utf8.withContiguousStorageIfAvailable { bytes in
            // memchr finds each line end many bytes at a time.
            guard let base = bytes.baseAddress else { return }
            starts.reserveCapacity(bytes.count / 32)
            var offset = 0
            while offset < bytes.count, let hit = memchr(base + offset, Int32(UInt8(ascii: "\n")), bytes.count - offset) {
                offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(offset)
            }
        }
        return starts
    }

    public var lineCount: Int { lineStarts.count }

    /// The 1-based `number`th line without its terminator, if the file has it.
    public func line(_ number: Int) -> Substring? {
        let starts = lineStarts
        guard number >= 1 && number <= starts.count else { return nil }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: starts[number - 1])
        var end = number < starts.count ? utf8.index(utf8.startIndex, offsetBy: starts[number] - 1) : utf8.endIndex
        if end > start, utf8[utf8.index(before: end)] == UInt8(ascii: "\r") { end = utf8.index(before: end) }
        return Substring(utf8[start..<end])
    }

    /// Leading spaces of the 1-based line `number` (nil when the line is blank or missing). Reads the bytes in
    /// place: the parser asks this for every block scalar of a spec.
    public func indentation(ofLine number: Int) -> Int? {
        let starts = lineStarts
        guard number >= 1 && number <= starts.count else { return nil }
        let from = starts[number - 1]
        let to = number < starts.count ? starts[number] - 1 : text.utf8.count
        let scan = { (bytes: UnsafeBufferPointer<UInt8>) -> Int? in
            var i = from
            while i < to {
                let b = bytes[i]
                if b == UInt8(ascii: "\r") { return nil }
                if b != UInt8(ascii: " ") { return i - from }
                i += 1
            }
            return nil
        }
        return text.utf8.withContiguousStorageIfAvailable(scan) ?? Array(text.utf8).withUnsafeBufferPointer(scan)
    }
}

/// Every source file read during one command, by path, so any diagnostic can be rendered with its source line.
public final class SourceFiles: @unchecked Sendable {
    private var files: [String: SourceFile] = [:]
    private let lock = NSLockLite()

    public init() {}

    public func add(_ file: SourceFile) {
        lock.withLock { files[file.path] = file }
    }

    public subscript(path: String) -> SourceFile? {
        lock.withLock { files[path] }
    }

    private var masked: [String] = []

    /// Text never to be shown from these files (secrets written literally in a spec): quoted source lines show
    /// `***` in its place.
    public func mask(_ values: [String]) {
        let values = values.filter { $0.count >= 4 }
        guard !values.isEmpty else { return }
        lock.withLock { masked = Array(Set(masked + values)).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 } }
    }

    /// What `mask` was given, longest first.
    public var maskedTexts: [String] { lock.withLock { masked } }
}
