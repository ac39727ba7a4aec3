import PipecDiagnostics

/// One libyaml event, copied out of libyaml so the tree can be built from it on another thread. Compact, as a
/// large spec has a million of them: lines and columns are clamped to 32 bits (no spec has two billion lines).
struct ParseEvent {
    enum Kind: UInt8 {
        case documentStart, scalar, sequenceStart, sequenceEnd, mappingStart, mappingEnd, alias, streamEnd, other
    }

    var kind: Kind
    var style: ScalarStyle
    /// libyaml's 0-based marks where the event starts and ends.
    var startLine: Int32
    var startColumn: Int32
    var endLine: Int32
    var endColumn: Int32
    /// A scalar's value: `valueCount` bytes from `valueStart` in its batch's `bytes`.
    var valueStart: Int
    var valueCount: Int
    /// The anchor a node defines, or the one an alias names: an index into its batch's `names`, -1 for none.
    var name: Int32
}

/// The scalar bytes of a batch, appended with plain copies: the reader thread bounds parsing, and an array's
/// checks on every append showed.
final class ScalarBytes: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Appends `n` bytes from `start`; where they begin.
    func append(_ start: UnsafePointer<UInt8>, _ n: Int) -> Int {
        if count + n > capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity * 2, count + n))
            grown.update(from: base, count: count)
            base.deallocate()
            base = grown
            capacity = max(capacity * 2, count + n)
        }
        (base + count).update(from: start, count: n)
        count += n
        return count - n
    }

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}

/// Consecutive events with the bytes of their scalars. The last batch of a stream ends at the stream's end or at
/// a syntax error, which libyaml cannot read past. Written by the reader, then only read by the builder.
struct EventBatch: Sendable {
    var events: [ParseEvent] = []
    var bytes = ScalarBytes(capacity: 0)
    var names: [String] = []
    /// The syntax error that ended the stream, after the events before it.
    var failure: Diagnostic?
    var isLast = false
}

extension ParseEvent: Sendable {}
