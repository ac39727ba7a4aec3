/// Where a collection's children sit in its tree's child list.
@usableFromInline
struct ChildSpan: Sendable {
    /// nil only for the span of a collection that is not there (`empty`).
    @usableFromInline let tree: SyntaxTree?
    @usableFromInline let owner: Int32
    @usableFromInline let first: Int
    /// Items of a sequence, entries of a mapping.
    @usableFromInline let count: Int

    init(tree: SyntaxTree, owner: Int32, record: NodeRecord) {
        self.tree = tree
        self.owner = owner
        first = Int(record.first)
        count = Int(record.count)
    }

    private init() {
        tree = nil
        owner = 0
        first = 0
        count = 0
    }

    static let empty = ChildSpan()

    /// The node at `position` of the child list (items one per position; entries two, key then value).
    @inlinable
    func node(at position: Int) -> Node {
        let tree = tree!
        return Node(tree: tree, id: tree.storage.child(of: owner, at: first + position))
    }
}

/// The items of a sequence, in order, read from the tree as they are asked for.
public struct NodeItems: RandomAccessCollection, Sendable {
    @usableFromInline let span: ChildSpan

    init(_ span: ChildSpan) {
        self.span = span
    }

    /// No items: for a sequence that is not there (`node["x"]?.items ?? .empty`).
    public static let empty = NodeItems(.empty)

    public var startIndex: Int { 0 }
    public var endIndex: Int { span.count }

    @inlinable
    public subscript(position: Int) -> Node {
        precondition(position >= 0 && position < span.count, "index out of range")
        return span.node(at: position)
    }
}

/// The entries of a mapping, in the order written, read from the tree as they are asked for.
public struct MappingEntries: RandomAccessCollection, Sendable {
    @usableFromInline let span: ChildSpan

    init(_ span: ChildSpan) {
        self.span = span
    }

    /// No entries: for a mapping that is not there (`node["x"]?.entries ?? .empty`).
    public static let empty = MappingEntries(.empty)

    public var startIndex: Int { 0 }
    public var endIndex: Int { span.count }

    @inlinable
    public subscript(position: Int) -> MappingEntry {
        precondition(position >= 0 && position < span.count, "index out of range")
        return MappingEntry(key: span.node(at: 2 * position), value: span.node(at: 2 * position + 1))
    }
}
