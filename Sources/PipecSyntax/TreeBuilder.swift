import PipecDiagnostics

/// Turns the event stream into nodes. Returns false from `consume` to stop at a fatal problem.
///
/// It runs once per event of files with hundreds of thousands of nodes. The children of open collections wait on
/// two shared stacks, so each finished collection gets one array of exactly its size (no array per open collection
/// growing step by step); keys are checked for duplicates without hashing while a mapping is small.
struct TreeBuilder {
    /// An open collection.
    struct Frame {
        let isMapping: Bool
        let anchor: String?
        let location: SourceLocation
        /// Where this collection's children start on `items` (a sequence) or `entries` (a mapping).
        let start: Int
        var pendingKey: Node?
        var hasMergeKey = false
        /// Key text -> position in `entries`, built once the mapping outgrows a linear scan.
        var keys: [String: Int]?

        init(isMapping: Bool, anchor: String?, location: SourceLocation, start: Int) {
            self.isMapping = isMapping
            self.anchor = anchor
            self.location = location
            self.start = start
        }

        /// Mappings up to this many keys are searched linearly: cheaper than hashing every key of every mapping.
        static let linearScanLimit = 12

        static func isMergeKey(_ s: Scalar) -> Bool { s.style == .plain && s.text == "<<" }
    }

    let source: SourceFile
    let file: String
    let limits: ParseLimits
    /// The innermost open collection, kept out of `stack` so it is changed in place: a method called on an array
    /// element works on a copy of the frame.
    var current: Frame?
    /// The collections around `current`, outermost first.
    var stack: [Frame] = []
    /// Items of the open sequences and entries of the open mappings, outermost first.
    var items: [Node] = []
    var entries: [MappingEntry] = []
    var depth: Int { stack.count + (current == nil ? 0 : 1) }
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

    func location(line: Int32, column: Int32, length: Int = 1) -> SourceLocation {
        SourceLocation(file: file, line: Int(line) + 1, column: Int(column) + 1, length: length)
    }

    /// Builds from `batch`; false once the tree cannot be finished (a fatal problem, or the syntax error that ends
    /// the batch).
    mutating func consume(_ batch: EventBatch) -> Bool {
        let finished = batch.bytes.withUnsafeBufferPointer { bytes in
            for event in batch.events {
                guard consume(event, bytes: bytes, names: batch.names) else { return false }
            }
            return true
        }
        guard finished else { return false }
        if let failure = batch.failure {
            diagnostics.append(failure)
            return false
        }
        return true
    }

    private mutating func consume(_ event: ParseEvent, bytes: UnsafeBufferPointer<UInt8>, names: [String]) -> Bool {
        let anchor = event.name >= 0 ? names[Int(event.name)] : nil
        let startLine = Int(event.startLine), startColumn = Int(event.startColumn)
        switch event.kind {
        case .documentStart:
            documents += 1
            if documents > 1 {
                diagnostics.append(.error("E005", "a spec holds one YAML document; found a second one",
                                          at: location(line: event.startLine, column: event.startColumn, length: 3),
                                          help: "remove the '---' separator, or split the pipelines into separate files"))
                return false
            }
            return true
        case .scalar:
            let value = UnsafeBufferPointer(rebasing: bytes[event.valueStart..<(event.valueStart + event.valueCount)])
            let text = String(decoding: value, as: UTF8.self)
            let style = event.style
            let scalar: Scalar
            switch style {
            case .literal, .folded:
                // Content starts on the line after the header; its indentation is the first non-blank line's.
                let firstLine = startLine + 2
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
                scalar = Scalar(text: text, style: style, contentLine: startLine + 1,
                                contentColumn: startColumn + 2, contentIndent: startColumn + 1)
            case .plain:
                scalar = Scalar(text: text, style: style, contentLine: startLine + 1,
                                contentColumn: startColumn + 1, contentIndent: startColumn)
            }
            let length = event.endLine == event.startLine ? max(1, Int(event.endColumn) - startColumn) : max(1, Self.firstLineLength(text, value))
            let node = Node(.scalar(scalar), at: location(line: event.startLine, column: event.startColumn, length: length))
            return add(node, anchor: anchor)
        case .sequenceStart, .mappingStart:
            if depth >= limits.maxDepth {
                diagnostics.append(.error("E004", "nesting deeper than \(limits.maxDepth) levels", at: location(line: event.startLine, column: event.startColumn),
                                          help: "a pipeline spec never needs this depth; check for unbalanced brackets"))
                return false
            }
            if let open = current { stack.append(open) }
            let isMapping = event.kind == .mappingStart
            current = Frame(isMapping: isMapping, anchor: anchor, location: location(line: event.startLine, column: event.startColumn),
                            start: isMapping ? entries.count : items.count)
            return true
        case .sequenceEnd:
            guard let frame = closeCurrent(), !frame.isMapping else { return true }
            let children = Array(items[frame.start...])
            items.removeSubrange(frame.start...)
            return add(Node(.sequence(children), at: frame.location), anchor: frame.anchor)
        case .mappingEnd:
            guard let frame = closeCurrent(), frame.isMapping else { return true }
            var children = Array(entries[frame.start...])
            entries.removeSubrange(frame.start...)
            if frame.hasMergeKey { children = resolveMerges(children) }
            return add(Node(.mapping(children), at: frame.location), anchor: frame.anchor)
        case .alias:
            let name = anchor ?? ""
            let at = location(line: event.startLine, column: event.startColumn, length: name.count + 1)
            guard let target = anchors[name] else {
                diagnostics.append(.error("E006", "unknown anchor '*\(name)'", at: at, help: DidYouMean.help(name, from: anchors.keys)))
                return false
            }
            expanded += target.size
            if expanded > limits.maxAliasExpansion {
                diagnostics.append(.error("E007", "aliases expand to more than \(limits.maxAliasExpansion) nodes", at: at,
                                          help: "this looks like an alias bomb; write the repeated parts out or use fewer nested aliases"))
                return false
            }
            return add(target, anchor: nil)
        case .streamEnd, .other:
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

    /// Ends the innermost collection; its parent becomes the current one.
    private mutating func closeCurrent() -> Frame? {
        let frame = current
        current = stack.popLast()
        return frame
    }

    private mutating func add(_ node: Node, anchor: String?) -> Bool {
        if let anchor { anchors[anchor] = node }
        guard current != nil else {
            root = node
            return true
        }
        guard current!.isMapping else {
            items.append(node)
            return true
        }
        guard let key = current!.pendingKey else {
            current!.pendingKey = node
            return true
        }
        current!.pendingKey = nil
        guard let keyScalar = key.scalar else {
            diagnostics.append(.error("E008", "mapping keys must be plain names, not \(key.kindDescription)", at: key.location))
            entries.append(MappingEntry(key: key, value: node))
            return true
        }
        if Frame.isMergeKey(keyScalar) {
            current!.hasMergeKey = true
            entries.append(MappingEntry(key: key, value: node))
            return true
        }
        let name = keyScalar.text
        if let first = firstEntry(named: name) {
            diagnostics.append(.error("E003", "duplicate key '\(name)'", at: key.location,
                                      notes: [DiagnosticNote("first defined here", at: entries[first].key.location)],
                                      help: "remove one of them; YAML keeps only one value per key"))
            return true
        }
        recordKey(name, at: entries.count)
        entries.append(MappingEntry(key: key, value: node))
        return true
    }

    /// Where `name` was first written as a key of the current mapping, if it was. Merge keys never count.
    private func firstEntry(named name: String) -> Int? {
        if let keys = current!.keys { return keys[name] }
        for i in current!.start..<entries.count {
            if let s = entries[i].key.scalar, s.text == name, !Frame.isMergeKey(s) { return i }
        }
        return nil
    }

    /// Records the key `name` at `position`, switching the current mapping to a hashed index once it is large.
    private mutating func recordKey(_ name: String, at position: Int) {
        if current!.keys != nil {
            current!.keys![name] = position
        } else if position - current!.start >= Frame.linearScanLimit {
            var index: [String: Int] = [:]
            for i in current!.start..<position {
                if let s = entries[i].key.scalar, !Frame.isMergeKey(s), index[s.text] == nil { index[s.text] = i }
            }
            index[name] = position
            current!.keys = index
        }
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
