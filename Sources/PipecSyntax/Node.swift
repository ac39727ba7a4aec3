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
    public var isNull: Bool {
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

/// A node of the located syntax tree: every scalar, sequence and mapping knows where it was written.
///
/// Equality (`sameContent`) ignores locations, so two versions of a spec can be compared.
public final class Node: Sendable {
    public enum Content: Sendable {
        case scalar(Scalar)
        case sequence([Node])
        case mapping([MappingEntry])
    }

    public let content: Content
    /// Start of the node; for scalars `length` spans the text on its first line, for collections the opening token.
    public let location: SourceLocation
    /// Number of nodes in this subtree, counting each alias expansion in full (bounds alias bombs).
    public let size: Int

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
        switch content {
        case .scalar: size = 1
        case .sequence(let items): size = 1 + items.reduce(0) { $0 + $1.size }
        case .mapping(let entries): size = 1 + entries.reduce(0) { $0 + $1.key.size + $1.value.size }
        }
    }

    public var scalar: Scalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    public var items: [Node]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var entries: [MappingEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    public var isNull: Bool { scalar?.isNull ?? false }

    /// The scalar's text, or nil for collections and nulls.
    public var text: String? {
        guard let s = scalar, !s.isNull else { return nil }
        return s.text
    }

    /// The value under `key` in a mapping (the first one; duplicates are diagnosed by the parser).
    public subscript(key: String) -> Node? {
        entries?.first { $0.key.scalar?.text == key }?.value
    }

    /// A short word for the kind of node, for messages ("expected a mapping, found a list").
    public var kindDescription: String {
        switch content {
        case .scalar(let s): return s.isNull ? "nothing (null)" : "a scalar"
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
