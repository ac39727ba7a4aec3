/// The render's output as raw UTF-8 in memory this class owns. Appending a string is a bounds check and a
/// `memcpy`: `String.append` on a class property costs several times more (uniqueness, capacity and
/// exclusivity checks), and output is most of what a render does.
final class OutputBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        if count + n > capacity { grow(to: count + n) }
        if let source = bytes.baseAddress { (base + count).update(from: source, count: n) }
        count += n
    }

    @inline(__always)
    func append(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var copy = s
            copy.withUTF8 { append($0) }
        }
    }

    func appendByte(_ b: UInt8) {
        if count + 1 > capacity { grow(to: count + 1) }
        base[count] = b
        count += 1
    }

    /// The text written since `mark`, removed from the buffer (captured `{% set %}` blocks and macro results).
    func take(from mark: Int) -> String {
        let s = String(decoding: UnsafeBufferPointer(start: base + mark, count: count - mark), as: UTF8.self)
        count = mark
        return s
    }

    var string: String {
        String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }
}
