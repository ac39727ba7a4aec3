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

/// Consecutive events with the bytes of their scalars. The last batch of a stream ends at the stream's end or at
/// a syntax error, which libyaml cannot read past.
struct EventBatch: Sendable {
    var events: [ParseEvent] = []
    var bytes: [UInt8] = []
    var names: [String] = []
    /// The syntax error that ended the stream, after the events before it.
    var failure: Diagnostic?
    var isLast = false
}

extension ParseEvent: Sendable {}
