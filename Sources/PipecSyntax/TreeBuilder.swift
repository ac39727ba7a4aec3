import Foundation
import PipecDiagnostics

/// Turns the event stream into the records of a `SyntaxTree`. Returns false from `consume` to stop at a fatal
/// problem.
///
/// It runs once per event of files with hundreds of thousands of nodes. The children of the open collections wait
/// on one shared stack of ids (a mapping's as key, value pairs); a finished collection copies its run of it into
/// the tree's child list. Keys are checked for duplicates without hashing while a mapping is small.
struct TreeBuilder {
    /// An open collection.
    struct Frame {
        let isMapping: Bool
        let anchor: String?
        let line: Int32
        let column: Int32
        /// Where this collection's children start on `pending`.
        let start: Int
        /// Nodes in the collection so far, itself included.
        var size: Int32 = 1
        var pendingKey: Int32 = -1
        var hasMergeKey = false
        /// Key text -> position on `pending`, built once the mapping outgrows a linear scan.
        var keys: [String: Int]?

        init(isMapping: Bool, anchor: String?, line: Int32, column: Int32, start: Int) {
            self.isMapping = isMapping
            self.anchor = anchor
            self.line = line
            self.column = column
            self.start = start
        }

        /// Mappings up to this many keys are searched linearly: cheaper than hashing every key of every mapping.
        static let linearScanLimit = 12
    }

    let source: SourceFile
    let file: String
    let limits: ParseLimits
    var tree = TreeSegment()
    /// The innermost open collection, kept out of `stack` so it is changed in place: a method called on an array
    /// element works on a copy of the frame.
    var current: Frame?
    /// The collections around `current`, outermost first.
    var stack: [Frame] = []
    /// Children of the open collections, outermost first.
    var pending: [Int32] = []
    var depth: Int { stack.count + (current == nil ? 0 : 1) }
    var anchors: [String: Int32] = [:]
    var root: Int32?
    var documents = 0
    var expanded = 0
    var diagnostics: [Diagnostic] = []
    /// Told of every scalar (see `YAMLParser.parse`).
    var sideWork: ParseSideWork?

    init(source: SourceFile, limits: ParseLimits) {
        self.source = source
        self.file = source.path
        self.limits = limits
        // Room for the nodes a spec of this size usually has (one per 16 bytes or so), so the arrays are not copied
        // as they grow; pages reserved and never used cost nothing.
        let bytes = source.text.utf8.count
        tree.records.reserveCapacity(bytes / 12 + 16)
        tree.scalars.reserveCapacity(bytes / 16 + 16)
        tree.children.reserveCapacity(bytes / 12 + 16)
    }

    func location(line: Int32, column: Int32, length: Int = 1) -> SourceLocation {
        SourceLocation(file: file, line: Int(line) + 1, column: Int(column) + 1, length: length)
    }

    private func location(of id: Int32) -> SourceLocation {
        let r = tree.records[Int(id)]
        return SourceLocation(file: file, line: Int(r.line), column: Int(r.column), length: Int(r.length))
    }

    /// The finished tree: its root, or an empty mapping for a file without a document.
    mutating func finish() -> Node {
        let rootID = root ?? Int32(tree.append(NodeRecord(kind: .mapping, style: .plain, isNull: false, line: 1, column: 1, length: 1,
                                                          first: 0, count: 0, size: 1), children: EmptyCollection()))
        return Node(tree: SyntaxTree(storage: TreeStorage(file: file, parsed: tree)), id: rootID)
    }

    /// Builds from `batch`; false once the tree cannot be finished (a fatal problem, or the syntax error that ends
    /// the batch).
    mutating func consume(_ batch: EventBatch) -> Bool {
        let bytes = batch.bytes.buffer
        let finished = withExtendedLifetime(batch.bytes) {
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
            guard roomForNode(event) else { return false }
            let value = UnsafeBufferPointer(rebasing: bytes[event.valueStart..<(event.valueStart + event.valueCount)])
            let id = addScalar(event, value)
            return add(id, anchor: anchor)
        case .sequenceStart, .mappingStart:
            if depth >= limits.maxDepth {
                diagnostics.append(.error("E004", "nesting deeper than \(limits.maxDepth) levels", at: location(line: event.startLine, column: event.startColumn),
                                          help: "a pipeline spec never needs this depth; check for unbalanced brackets"))
                return false
            }
            guard roomForNode(event) else { return false }
            if let open = current { stack.append(open) }
            current = Frame(isMapping: event.kind == .mappingStart, anchor: anchor, line: event.startLine, column: event.startColumn, start: pending.count)
            return true
        case .sequenceEnd, .mappingEnd:
            guard let frame = closeCurrent(), frame.isMapping == (event.kind == .mappingEnd) else { return true }
            let record = NodeRecord(kind: frame.isMapping ? .mapping : .sequence, style: .plain, isNull: false,
                                    line: frame.line + 1, column: frame.column + 1, length: 1, first: 0, count: 0, size: frame.size)
            let id: Int
            if frame.hasMergeKey {
                let children = resolveMerges(pending[frame.start...])
                var r = record
                r.count = Int32(children.count / 2)
                r.size = children.reduce(1) { NodeRecord.adding($0, tree.records[Int($1)].size) }
                id = tree.append(r, children: children)
            } else {
                var r = record
                let children = pending.count - frame.start
                r.count = Int32(frame.isMapping ? children / 2 : children)
                id = tree.append(r, children: pending[frame.start...])
            }
            pending.removeSubrange(frame.start...)
            return add(Int32(id), anchor: frame.anchor)
        case .alias:
            let name = anchor ?? ""
            let at = location(line: event.startLine, column: event.startColumn, length: name.count + 1)
            guard let target = anchors[name] else {
                diagnostics.append(.error("E006", "unknown anchor '*\(name)'", at: at, help: DidYouMean.help(name, from: anchors.keys)))
                return false
            }
            expanded += Int(tree.records[Int(target)].size)
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

    /// Node ids are 32-bit: a file with two billion nodes is refused rather than wrapped around.
    private mutating func roomForNode(_ event: ParseEvent) -> Bool {
        guard tree.records.count >= Int(Int32.max) - 1 || pending.count >= Int(Int32.max) - 2 else { return true }
        diagnostics.append(.error("E004", "more than \(Int32.max - 1) nodes", at: location(line: event.startLine, column: event.startColumn),
                                  help: "split the spec into several files"))
        return false
    }

    private mutating func addScalar(_ event: ParseEvent, _ value: UnsafeBufferPointer<UInt8>) -> Int32 {
        let text = String(decoding: value, as: UTF8.self)
        let style = event.style
        let startLine = event.startLine, startColumn = event.startColumn
        let content: ScalarRecord
        switch style {
        case .literal, .folded:
            // Content starts on the line after the header; its indentation is the first non-blank line's.
            let firstLine = Int(startLine) + 2
            var indent = 0
            var probe = firstLine
            let end = min(firstLine + 1000, source.lineCount + 1)
            while probe < end {
                if let spaces = source.indentation(ofLine: probe) {
                    indent = spaces
                    break
                }
                probe += 1
            }
            content = ScalarRecord(text: text, contentLine: Int32(clamping: firstLine), contentColumn: Int32(clamping: indent + 1),
                                   contentIndent: Int32(clamping: indent))
        case .singleQuoted, .doubleQuoted:
            content = ScalarRecord(text: text, contentLine: startLine + 1, contentColumn: startColumn + 2, contentIndent: startColumn + 1)
        case .plain:
            content = ScalarRecord(text: text, contentLine: startLine + 1, contentColumn: startColumn + 1, contentIndent: startColumn)
        }
        let length = event.endLine == event.startLine ? max(1, Int(event.endColumn) - Int(startColumn)) : max(1, Self.firstLineLength(text, value))
        if let sideWork, let start = value.baseAddress, memchr(start, Int32(sideWork.scalarMarker), value.count) != nil {
            sideWork.noteScalar(Scalar(text: text, style: style, contentLine: Int(content.contentLine), contentColumn: Int(content.contentColumn),
                                       contentIndent: Int(content.contentIndent)))
        }
        let key = TextKey(bytes: value)
        let record = NodeRecord(kind: .scalar, style: style, isNull: Scalar.isNull(text, style: style), line: startLine + 1,
                                column: startColumn + 1, length: Int32(clamping: length), first: 0, count: key.length, size: 1, prefix: key.prefix)
        return Int32(tree.append(scalar: record, text: content))
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

    /// The scalar text of node `id`, nil for collections.
    private func keyText(_ id: Int32) -> String? {
        let r = tree.records[Int(id)]
        return r.kind == .scalar ? tree.scalars[Int(r.first)].text : nil
    }

    private func isMergeKey(_ id: Int32) -> Bool {
        let r = tree.records[Int(id)]
        return r.isScalar(Self.mergeKey) && r.style == .plain
    }

    private static let mergeKey = TextKey("<<")

    private mutating func add(_ id: Int32, anchor: String?) -> Bool {
        if let anchor { anchors[anchor] = id }
        guard current != nil else {
            root = id
            return true
        }
        guard current!.isMapping else {
            keep(id)
            return true
        }
        let key = current!.pendingKey
        guard key >= 0 else {
            current!.pendingKey = id
            return true
        }
        current!.pendingKey = -1
        guard let name = keyText(key) else {
            diagnostics.append(.error("E008", "mapping keys must be plain names, not \(Node.kindDescription(tree.records[Int(key)]))", at: location(of: key)))
            keep(key, id)
            return true
        }
        if isMergeKey(key) {
            current!.hasMergeKey = true
            keep(key, id)
            return true
        }
        let first = current!.keys != nil ? current!.keys![name]
            : Self.firstEntry(named: name, key: TextKey(of: tree.records[Int(key)]), from: current!.start, in: pending, tree)
        if let first {
            // The duplicate is left out of the mapping.
            diagnostics.append(.error("E003", "duplicate key '\(name)'", at: location(of: key),
                                      notes: [DiagnosticNote("first defined here", at: location(of: pending[first]))],
                                      help: "remove one of them; YAML keeps only one value per key"))
            return true
        }
        recordKey(name, at: pending.count)
        keep(key, id)
        return true
    }

    /// Adds an item to the current collection.
    private mutating func keep(_ id: Int32) {
        current!.size = NodeRecord.adding(current!.size, tree.records[Int(id)].size)
        pending.append(id)
    }

    /// Adds an entry to the current mapping.
    private mutating func keep(_ key: Int32, _ value: Int32) {
        keep(key)
        keep(value)
    }

    /// Where `name` was first written as a key of a small mapping (its position on `pending`), if it was; merge
    /// keys never count. Static, on the builder's parts: a method called from `add` copied the whole builder.
    private static func firstEntry(named name: String, key: TextKey, from start: Int, in pending: [Int32], _ tree: TreeSegment) -> Int? {
        for i in stride(from: start, to: pending.count, by: 2) {
            let r = tree.records[Int(pending[i])]
            if r.isScalar(key) && (key.isWholeText || tree.scalars[Int(r.first)].text == name) && !(r.isScalar(mergeKey) && r.style == .plain) {
                return i
            }
        }
        return nil
    }

    /// Records the key `name` at `position`, switching the current mapping to a hashed index once it is large.
    private mutating func recordKey(_ name: String, at position: Int) {
        if current!.keys != nil {
            current!.keys![name] = position
        } else if (position - current!.start) / 2 >= Frame.linearScanLimit {
            current!.keys = Self.index(from: current!.start, to: position, in: pending, tree)
            current!.keys![name] = position
        }
    }

    /// Key text -> first position, for the entries of the current mapping on `pending` from `start` to `end`.
    private static func index(from start: Int, to end: Int, in pending: [Int32], _ tree: TreeSegment) -> [String: Int] {
        var index: [String: Int] = [:]
        for i in stride(from: start, to: end, by: 2) {
            let r = tree.records[Int(pending[i])]
            guard r.kind == .scalar, !(r.isScalar(mergeKey) && r.style == .plain) else { continue }
            let text = tree.scalars[Int(r.first)].text
            if index[text] == nil { index[text] = i }
        }
        return index
    }

    /// Applies YAML merge keys: `<<: *base` or `<<: [*a, *b]` copies keys not written explicitly; earlier sources win.
    /// `pairs` are a mapping's key, value ids; so is the result.
    private mutating func resolveMerges(_ pairs: ArraySlice<Int32>) -> [Int32] {
        var result: [Int32] = []
        var merges: [Int32] = []
        var present = Set<String>()
        for i in stride(from: pairs.startIndex, to: pairs.endIndex, by: 2) {
            let key = pairs[i], value = pairs[i + 1]
            if isMergeKey(key) {
                merges.append(value)
            } else {
                result += [key, value]
                if let text = keyText(key) { present.insert(text) }
            }
        }
        for value in merges {
            let r = tree.records[Int(value)]
            let sources: [Int32]
            switch r.kind {
            case .mapping: sources = [value]
            case .sequence: sources = Array(tree.children[Int(r.first)..<Int(r.first + r.count)])
            case .scalar:
                diagnostics.append(.error("E009", "a merge key '<<' needs a mapping or a list of mappings", at: location(of: value)))
                continue
            }
            for source in sources {
                let s = tree.records[Int(source)]
                guard s.kind == .mapping else {
                    diagnostics.append(.error("E009", "a merge key '<<' needs a mapping or a list of mappings", at: location(of: source)))
                    continue
                }
                for j in 0..<Int(s.count) {
                    let key = tree.children[Int(s.first) + 2 * j], value = tree.children[Int(s.first) + 2 * j + 1]
                    guard let name = keyText(key), !present.contains(name) else { continue }
                    present.insert(name)
                    result += [key, value]
                }
            }
        }
        return result
    }
}
