import PipecDiagnostics

/// How a scalar was written. Plain scalars are the only ones whose text may mean null, and the only ones a YAML
/// merge key (`<<`) can be.
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar's text before any typing: pipec types scalars by what the schema expects at that place, not by
/// YAML 1.1's implicit rules (so `on:` stays a key and `country: NO` stays a string).
public struct Scalar: Sendable, Hashable {
    public var text: String
    public var style: ScalarStyle
    /// Where the scalar's content starts in the file (after any quote or block header), and for block scalars the
    /// column every later content line starts at. Templates inside scalars use these to map their errors back.
    public var contentLine: Int
    public var contentColumn: Int
    public var contentIndent: Int

    public init(text: String, style: ScalarStyle, contentLine: Int, contentColumn: Int, contentIndent: Int) {
        self.text = text
        self.style = style
        self.contentLine = contentLine
        self.contentColumn = contentColumn
        self.contentIndent = contentIndent
    }

    /// `key:` with nothing after it, `~` or `null` written plainly.
    public var isNull: Bool { Self.isNull(text, style: style) }

    static func isNull(_ text: String, style: ScalarStyle) -> Bool {
        // Every null spelling has at most 4 bytes, and no longer text is equal to one (none of them holds a letter
        // that a longer, non-ASCII character normalizes to), so nearly every scalar is ruled out by its length.
        style == .plain && text.utf8.count <= 4 && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }
}

/// One key/value pair of a mapping, in the order written.
public struct MappingEntry: Sendable {
    public var key: Node
    public var value: Node

    public init(key: Node, value: Node) {
        self.key = key
        self.value = value
    }
}

/// A node of the located syntax tree: every scalar, sequence and mapping knows where it was written. A position
/// in its `SyntaxTree`, which it keeps alive; cheap to copy.
///
/// Equality (`sameContent`) ignores locations, so two versions of a spec can be compared.
public struct Node: Sendable {
    public enum Content: Sendable {
        case scalar(Scalar)
        case sequence(NodeItems)
        case mapping(MappingEntries)
    }

    public let tree: SyntaxTree
    @usableFromInline let id: Int32

    @usableFromInline
    init(tree: SyntaxTree, id: Int32) {
        self.tree = tree
        self.id = id
    }

    @inlinable
    var record: NodeRecord { tree.storage.record(id) }

    /// What a node is, without reading its content.
    public enum Kind: Sendable {
        case scalar, sequence, mapping
    }

    @inlinable
    public var kind: Kind {
        switch record.kind {
        case .scalar: return .scalar
        case .sequence: return .sequence
        case .mapping: return .mapping
        }
    }

    /// How a scalar was written; nil for collections.
    @inlinable
    public var style: ScalarStyle? {
        let r = record
        return r.kind == .scalar ? r.style : nil
    }

    /// The same node read through `handle`, a handle on the same tree (see `SyntaxTree.newHandle`).
    public func through(_ handle: SyntaxTree) -> Node {
        Node(tree: handle, id: checkedID(in: handle))
    }

    /// The node's id, after checking that it belongs to `tree` (nodes of two trees cannot be mixed).
    func checkedID(in tree: SyntaxTree) -> Int32 {
        precondition(self.tree.sameNodes(as: tree), "a node of another syntax tree")
        return id
    }

    func checkedRecord(in tree: SyntaxTree) -> NodeRecord { tree.storage.record(checkedID(in: tree)) }

    public var content: Content {
        let r = record
        switch r.kind {
        case .scalar: return .scalar(scalar(r))
        case .sequence: return .sequence(NodeItems(ChildSpan(tree: tree, owner: id, record: r)))
        case .mapping: return .mapping(MappingEntries(ChildSpan(tree: tree, owner: id, record: r)))
        }
    }

    /// Start of the node; for scalars `length` spans the text on its first line, for collections the opening token.
    public var location: SourceLocation { tree.storage.location(record) }

    /// Number of nodes in this subtree, counting each alias expansion in full.
    public var size: Int { Int(record.size) }

    public var scalar: Scalar? {
        let r = record
        return r.kind == .scalar ? scalar(r) : nil
    }

    private func scalar(_ r: NodeRecord) -> Scalar {
        let s = tree.storage.scalar(of: id, r)
        return Scalar(text: s.text, style: r.style, contentLine: Int(s.contentLine), contentColumn: Int(s.contentColumn),
                      contentIndent: Int(s.contentIndent))
    }

    public var items: NodeItems? {
        let r = record
        return r.kind == .sequence ? NodeItems(ChildSpan(tree: tree, owner: id, record: r)) : nil
    }

    public var entries: MappingEntries? {
        let r = record
        return r.kind == .mapping ? MappingEntries(ChildSpan(tree: tree, owner: id, record: r)) : nil
    }

    @inlinable
    public var isNull: Bool { record.isNull }

    /// The scalar's text, or nil for collections and nulls.
    @inlinable
    public var text: String? {
        let r = record
        guard r.kind == .scalar, !r.isNull else { return nil }
        return tree.storage.scalar(of: id, r).text
    }

    /// The value under `key` in a mapping (the first one; duplicates are diagnosed by the parser).
    @inlinable
    public subscript(key: String) -> Node? {
        let storage = tree.storage
        let r = storage.record(id)
        guard r.kind == .mapping else { return nil }
        let first = Int(r.first)
        let probe = TextKey(key)
        for i in 0..<Int(r.count) where storage.hasText(storage.child(of: id, at: first + 2 * i), probe, key) {
            return Node(tree: tree, id: storage.child(of: id, at: first + 2 * i + 1))
        }
        return nil
    }

    /// A short word for the kind of node, for messages ("expected a mapping, found a list").
    public var kindDescription: String { Self.kindDescription(record) }

    static func kindDescription(_ r: NodeRecord) -> String {
        switch r.kind {
        case .scalar: return r.isNull ? "nothing (null)" : "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// Structural equality ignoring locations and scalar styles.
    public func sameContent(as other: Node) -> Bool {
        switch (content, other.content) {
        case let (.scalar(a), .scalar(b)): return a.text == b.text && a.isNull == b.isNull
        case let (.sequence(a), .sequence(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameContent(as: $1) }
        case let (.mapping(a), .mapping(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key.sameContent(as: $1.key) && $0.value.sameContent(as: $1.value) }
        default: return false
        }
    }

    /// The node as JSON, scalars as strings (null for YAML nulls): for tests and `--format json` dumps.
    public func json() -> JSONValue {
        switch content {
        case .scalar(let s): return s.isNull ? .null : .string(s.text)
        case .sequence(let items): return .array(items.map { $0.json() })
        case .mapping(let entries): return .object(entries.map { ($0.key.scalar?.text ?? "?", $0.value.json()) })
        }
    }
}
