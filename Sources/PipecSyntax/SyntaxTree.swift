import Foundation
import PipecDiagnostics

/// One node of a syntax tree, stored by value: a large spec has hundreds of thousands of nodes, and an object per
/// node made building, reading and freeing the tree the front end's main cost.
@usableFromInline
struct NodeRecord {
    @usableFromInline
    enum Kind: UInt8 { case scalar, sequence, mapping }

    @usableFromInline var kind: Kind
    @usableFromInline var style: ScalarStyle
    /// A plain `~`, `null` or empty scalar (decided once, when the scalar is read).
    @usableFromInline var isNull: Bool
    /// Where the node starts (1-based); `length` spans a scalar's text on its first line, or a collection's opening token.
    @usableFromInline var line: Int32
    @usableFromInline var column: Int32
    @usableFromInline var length: Int32
    /// A scalar's index in `scalars`; a collection's first position in `children`.
    @usableFromInline var first: Int32
    /// A sequence's items, a mapping's entries (each two positions in `children`: key, then value); a scalar's
    /// length in UTF-8 bytes.
    @usableFromInline var count: Int32
    /// Nodes in this subtree, counting each alias expansion in full (bounds alias bombs).
    @usableFromInline var size: Int32
    /// A scalar's first eight UTF-8 bytes (see `TextKey`).
    @usableFromInline var prefix: UInt64 = 0

    /// Whether this is a scalar whose text is `text` (with `key` made from it).
    @inlinable
    func isScalar(_ key: TextKey) -> Bool { kind == .scalar && count == key.length && prefix == key.prefix }

    /// Sizes add up to at most Int32.max: the alias limit stops parsing long before, copies may reach it.
    static func adding(_ a: Int32, _ b: Int32) -> Int32 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}

/// A text's first eight UTF-8 bytes and its length in bytes. Keys that differ nearly always differ here, so a
/// mapping is searched without comparing strings; texts of at most eight bytes (most keys) are equal exactly when
/// their `TextKey`s are.
@usableFromInline
struct TextKey: Sendable {
    @usableFromInline var prefix: UInt64 = 0
    @usableFromInline var length: Int32

    @inlinable
    init(_ text: String) {
        var text = text
        self = text.withUTF8 { TextKey(bytes: $0) }
    }

    @inlinable
    init(bytes: UnsafeBufferPointer<UInt8>) {
        length = Int32(clamping: bytes.count)
        for i in 0..<min(8, bytes.count) { prefix |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    }

    /// The key of the scalar `record`.
    @inlinable
    init(of record: NodeRecord) {
        prefix = record.prefix
        length = record.count
    }

    /// Equal keys mean equal texts.
    @inlinable
    var isWholeText: Bool { length <= 8 }
}

/// A scalar's text and where its content starts (after any quote or block header).
@usableFromInline
struct ScalarRecord {
    @usableFromInline var text: String
    @usableFromInline var contentLine: Int32
    @usableFromInline var contentColumn: Int32
    @usableFromInline var contentIndent: Int32
}

/// Nodes with the child lists of the collections and the texts of the scalars among them. A node's children are
/// node ids, which may point into an earlier segment.
@usableFromInline
struct TreeSegment {
    @usableFromInline var records: ContiguousArray<NodeRecord> = []
    @usableFromInline var children: ContiguousArray<Int32> = []
    @usableFromInline var scalars: ContiguousArray<ScalarRecord> = []

    /// Appends a node whose children are `children`; its id relative to this segment.
    mutating func append(_ record: NodeRecord, children list: some Collection<Int32>) -> Int {
        var record = record
        record.first = Int32(children.count)
        children.append(contentsOf: list)
        records.append(record)
        return records.count - 1
    }

    mutating func append(scalar record: NodeRecord, text: ScalarRecord) -> Int {
        var record = record
        record.first = Int32(scalars.count)
        scalars.append(text)
        records.append(record)
        return records.count - 1
    }
}

/// The nodes of one parsed file, shared by every handle (`SyntaxTree`) on them.
///
/// The nodes the parser built never change and are read without locking by any number of threads. Nodes added
/// later (the copies `for_each` makes) go to a second segment behind a lock: few specs have them, and those that do
/// have few.
@usableFromInline
final class TreeStorage: @unchecked Sendable {
    let file: String
    @usableFromInline let parsed: TreeSegment
    @usableFromInline let parsedCount: Int
    private let lock = NSLock()
    /// Nodes added after parsing; ids continue after the parsed ones. Guarded by `lock`.
    private var added = TreeSegment()

    init(file: String, parsed: TreeSegment) {
        self.file = file
        self.parsed = parsed
        parsedCount = parsed.records.count
    }

    @inlinable
    func record(_ id: Int32) -> NodeRecord {
        let i = Int(id)
        if i < parsedCount { return parsed.records[i] }
        return addedRecord(i - parsedCount)
    }

    /// The id at `position` of the child list of node `owner` (positions count from the owner's `first`).
    @inlinable
    func child(of owner: Int32, at position: Int) -> Int32 {
        if Int(owner) < parsedCount { return parsed.children[position] }
        return addedChild(position)
    }

    @inlinable
    func scalar(of owner: Int32, _ record: NodeRecord) -> ScalarRecord {
        if Int(owner) < parsedCount { return parsed.scalars[Int(record.first)] }
        return addedScalar(Int(record.first))
    }

    /// Whether node `id` is a scalar whose text is `text` (`key` made from it).
    @inlinable
    func hasText(_ id: Int32, _ key: TextKey, _ text: String) -> Bool {
        let r = record(id)
        return r.isScalar(key) && (key.isWholeText || scalar(of: id, r).text == text)
    }

    @usableFromInline
    func addedRecord(_ i: Int) -> NodeRecord { lock.withLock { added.records[i] } }

    @usableFromInline
    func addedChild(_ i: Int) -> Int32 { lock.withLock { added.children[i] } }

    @usableFromInline
    func addedScalar(_ i: Int) -> ScalarRecord { lock.withLock { added.scalars[i] } }

    func location(_ r: NodeRecord) -> SourceLocation {
        SourceLocation(file: file, line: Int(r.line), column: Int(r.column), length: Int(r.length))
    }

    /// Adds nodes through `body`; the id of the one it returns.
    func add(_ body: (inout TreeSegment) -> Int) -> Int32 {
        let id = lock.withLock { parsedCount + body(&added) }
        precondition(id < Int(Int32.max), "syntax tree too large")
        return Int32(id)
    }
}

/// A handle on the nodes of one parsed file. `Node`s are positions in the tree, read through a handle they keep
/// alive.
///
/// Each copy of a node counts a reference to its handle; threads that read one tree at the same time each take a
/// handle of their own (`Node.through(_:)` with `newHandle()`), as two threads counting references on one object
/// slow each other down far more than the reading costs.
public final class SyntaxTree: Sendable {
    @usableFromInline let storage: TreeStorage

    init(storage: TreeStorage) {
        self.storage = storage
    }

    public var file: String { storage.file }

    /// Another handle on the same nodes.
    public func newHandle() -> SyntaxTree { SyntaxTree(storage: storage) }

    /// Whether `other` reads the same nodes.
    public func sameNodes(as other: SyntaxTree) -> Bool { storage === other.storage }

    // MARK: adding nodes

    /// A copy of the scalar `node` with other text: same place, same style.
    public func scalar(_ text: String, replacing node: Node) -> Node {
        let r = node.checkedRecord(in: self)
        precondition(r.kind == .scalar, "only a scalar's text can be replaced")
        let content = storage.scalar(of: node.id, r)
        var copy = r
        copy.isNull = Scalar.isNull(text, style: r.style)
        let key = TextKey(text)
        copy.count = key.length
        copy.prefix = key.prefix
        return Node(tree: self, id: storage.add {
            $0.append(scalar: copy, text: ScalarRecord(text: text, contentLine: content.contentLine, contentColumn: content.contentColumn,
                                                       contentIndent: content.contentIndent))
        })
    }

    /// A sequence of `items`, located where `node` is.
    public func sequence(_ items: [Node], at node: Node) -> Node {
        let r = node.checkedRecord(in: self)
        let ids = items.map { $0.checkedID(in: self) }
        let size = items.reduce(Int32(1)) { NodeRecord.adding($0, $1.checkedRecord(in: self).size) }
        let record = NodeRecord(kind: .sequence, style: .plain, isNull: false, line: r.line, column: r.column, length: 1,
                                first: 0, count: Int32(items.count), size: size)
        return Node(tree: self, id: storage.add { $0.append(record, children: ids) })
    }

    /// A mapping of `entries` (kept as given: no duplicate or merge-key handling), located where `node` is.
    public func mapping(_ entries: [MappingEntry], at node: Node) -> Node {
        let r = node.checkedRecord(in: self)
        var ids: [Int32] = []
        ids.reserveCapacity(entries.count * 2)
        var size: Int32 = 1
        for e in entries {
            ids.append(e.key.checkedID(in: self))
            ids.append(e.value.checkedID(in: self))
            size = NodeRecord.adding(size, NodeRecord.adding(e.key.checkedRecord(in: self).size, e.value.checkedRecord(in: self).size))
        }
        let record = NodeRecord(kind: .mapping, style: .plain, isNull: false, line: r.line, column: r.column, length: 1,
                                first: 0, count: Int32(entries.count), size: size)
        return Node(tree: self, id: storage.add { $0.append(record, children: ids) })
    }
}
