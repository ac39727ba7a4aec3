internal import CYaml
import PipecDiagnostics

/// Turns libyaml's event stream into nodes. Returns false from `consume` to stop at a fatal problem.
///
/// It runs once per event of files with hundreds of thousands of nodes, so open collections are plain values in
/// an array (no object per collection, no dynamic exclusivity checks) and keys are checked for duplicates without
/// hashing while a mapping is small.
struct TreeBuilder {
    /// An open collection.
    struct Frame {
        let isMapping: Bool
        let anchor: String?
        let location: SourceLocation
        var items: [Node] = []
        var entries: [MappingEntry] = []
        var pendingKey: Node?
        var hasMergeKey = false
        /// Key text -> index in `entries`, built once the mapping outgrows a linear scan (see `DuplicateKeys`).
        var keys: [String: Int]?

        init(isMapping: Bool, anchor: String?, location: SourceLocation) {
            self.isMapping = isMapping
            self.anchor = anchor
            self.location = location
        }

        /// Where `name` was first written as a key of this mapping, if it was. Merge keys never count.
        func firstEntry(named name: String) -> Int? {
            if let keys { return keys[name] }
            return entries.firstIndex { entry in
                guard let s = entry.key.scalar else { return false }
                return s.text == name && !Self.isMergeKey(s)
            }
        }

        mutating func append(_ entry: MappingEntry, name: String?) {
            if let name {
                if keys != nil {
                    keys![name] = entries.count
                } else if entries.count >= Self.linearScanLimit {
                    var index: [String: Int] = [:]
                    for (i, e) in entries.enumerated() {
                        if let s = e.key.scalar, !Self.isMergeKey(s), index[s.text] == nil { index[s.text] = i }
                    }
                    index[name] = entries.count
                    keys = index
                }
            }
            entries.append(entry)
        }

        /// Mappings up to this many keys are searched linearly: cheaper than hashing every key of every mapping.
        static let linearScanLimit = 12

        static func isMergeKey(_ s: Scalar) -> Bool { s.style == .plain && s.text == "<<" }
    }

    let source: SourceFile
    let file: String
    let limits: ParseLimits
    var stack: [Frame] = []
    var anchors: [String: Node] = [:]
    var root: Node?
    var documents = 0
    var expanded = 0
    var diagnostics: [Diagnostic] = []

    init(source: SourceFile, limits: ParseLimits) {
        self.source = source
        self.file = source.path
        self.limits = limits
    }

    func location(_ mark: yaml_mark_t, length: Int = 1) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1, length: length)
    }

    mutating func consume(_ event: inout yaml_event_t) -> Bool {
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                diagnostics.append(.error("E005", "a spec holds one YAML document; found a second one", at: location(event.start_mark, length: 3),
                                          help: "remove the '---' separator, or split the pipelines into separate files"))
                return false
            }
            return true
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let bytes = UnsafeBufferPointer(start: data.value, count: data.length)
            let text = String(decoding: bytes, as: UTF8.self)
            let style: ScalarStyle
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let start = event.start_mark, end = event.end_mark
            let scalar: Scalar
            switch style {
            case .literal, .folded:
                // Content starts on the line after the header; its indentation is the first non-blank line's.
                let firstLine = Int(start.line) + 2
                var indent = 0
                var probe = firstLine
                while probe < min(firstLine + 1000, source.lineCount + 1) {
                    if let spaces = source.indentation(ofLine: probe) {
                        indent = spaces
                        break
                    }
                    probe += 1
                }
                scalar = Scalar(text: text, style: style, contentLine: firstLine,
                                contentColumn: indent + 1, contentIndent: indent)
            case .singleQuoted, .doubleQuoted:
                scalar = Scalar(text: text, style: style, contentLine: Int(start.line) + 1,
                                contentColumn: Int(start.column) + 2, contentIndent: Int(start.column) + 1)
            case .plain:
                scalar = Scalar(text: text, style: style, contentLine: Int(start.line) + 1,
                                contentColumn: Int(start.column) + 1, contentIndent: Int(start.column))
            }
            let length = end.line == start.line ? max(1, Int(end.column) - Int(start.column)) : max(1, Self.firstLineLength(text, bytes))
            let node = Node(.scalar(scalar), at: location(start, length: length))
            return add(node, anchor: anchorName(data.anchor))
        case YAML_SEQUENCE_START_EVENT:
            guard checkDepth(event.start_mark) else { return false }
            stack.append(Frame(isMapping: false, anchor: anchorName(event.data.sequence_start.anchor), location: location(event.start_mark)))
            return true
        case YAML_MAPPING_START_EVENT:
            guard checkDepth(event.start_mark) else { return false }
            stack.append(Frame(isMapping: true, anchor: anchorName(event.data.mapping_start.anchor), location: location(event.start_mark)))
            return true
        case YAML_SEQUENCE_END_EVENT:
            guard let frame = stack.popLast(), !frame.isMapping else { return true }
            return add(Node(.sequence(frame.items), at: frame.location), anchor: frame.anchor)
        case YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast(), frame.isMapping else { return true }
            let entries = frame.hasMergeKey ? resolveMerges(frame.entries) : frame.entries
            return add(Node(.mapping(entries), at: frame.location), anchor: frame.anchor)
        case YAML_ALIAS_EVENT:
            let name = anchorName(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                diagnostics.append(.error("E006", "unknown anchor '*\(name)'", at: location(event.start_mark, length: name.count + 1),
                                          help: DidYouMean.help(name, from: anchors.keys)))
                return false
            }
            expanded += target.size
            if expanded > limits.maxAliasExpansion {
                diagnostics.append(.error("E007", "aliases expand to more than \(limits.maxAliasExpansion) nodes", at: location(event.start_mark, length: name.count + 1),
                                          help: "this looks like an alias bomb; write the repeated parts out or use fewer nested aliases"))
                return false
            }
            return add(target, anchor: nil)
        default:
            return true
        }
    }

    /// Characters on the scalar's first line (the underline of a multi-line scalar). Counting bytes gives the same
    /// answer for ASCII, which SQL nearly always is; anything else is counted as characters.
    private static func firstLineLength(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for b in bytes {
            if b == UInt8(ascii: "\n") { return count }
            if b >= 0x80 { return text.prefix { $0 != "\n" }.count }
            count += 1
        }
        return count
    }

    private func anchorName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private mutating func checkDepth(_ mark: yaml_mark_t) -> Bool {
        if stack.count >= limits.maxDepth {
            diagnostics.append(.error("E004", "nesting deeper than \(limits.maxDepth) levels", at: location(mark),
                                      help: "a pipeline spec never needs this depth; check for unbalanced brackets"))
            return false
        }
        return true
    }

    private mutating func add(_ node: Node, anchor: String?) -> Bool {
        if let anchor { anchors[anchor] = node }
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return true
        }
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return true
        }
        guard let key = stack[top].pendingKey else {
            stack[top].pendingKey = node
            return true
        }
        stack[top].pendingKey = nil
        guard let keyScalar = key.scalar else {
            diagnostics.append(.error("E008", "mapping keys must be plain names, not \(key.kindDescription)", at: key.location))
            stack[top].append(MappingEntry(key: key, value: node), name: nil)
            return true
        }
        if Frame.isMergeKey(keyScalar) {
            stack[top].hasMergeKey = true
            stack[top].append(MappingEntry(key: key, value: node), name: nil)
            return true
        }
        let name = keyScalar.text
        if let first = stack[top].firstEntry(named: name) {
            diagnostics.append(.error("E003", "duplicate key '\(name)'", at: key.location,
                                      notes: [DiagnosticNote("first defined here", at: stack[top].entries[first].key.location)],
                                      help: "remove one of them; YAML keeps only one value per key"))
            return true
        }
        stack[top].append(MappingEntry(key: key, value: node), name: name)
        return true
    }

    /// Applies YAML merge keys: `<<: *base` or `<<: [*a, *b]` copies keys not written explicitly; earlier sources win.
    private mutating func resolveMerges(_ entries: [MappingEntry]) -> [MappingEntry] {
        var result = entries.filter { !isMergeKey($0) }
        var present = Set(result.compactMap { $0.key.scalar?.text })
        for entry in entries where isMergeKey(entry) {
            let sources: [Node]
            switch entry.value.content {
            case .mapping: sources = [entry.value]
            case .sequence(let items): sources = items
            case .scalar:
                diagnostics.append(.error("E009", "a merge key '<<' needs a mapping or a list of mappings", at: entry.value.location))
                continue
            }
            for source in sources {
                guard let merged = source.entries else {
                    diagnostics.append(.error("E009", "a merge key '<<' needs a mapping or a list of mappings", at: source.location))
                    continue
                }
                for m in merged {
                    guard let name = m.key.scalar?.text, !present.contains(name) else { continue }
                    present.insert(name)
                    result.append(m)
                }
            }
        }
        return result
    }

    private func isMergeKey(_ entry: MappingEntry) -> Bool {
        guard let s = entry.key.scalar else { return false }
        return Frame.isMergeKey(s)
    }
}
