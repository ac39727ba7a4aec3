internal import CYaml
import PipecDiagnostics

/// Limits that keep hostile input from hanging or exhausting pipec.
public struct ParseLimits: Sendable {
    /// Deepest nesting of collections accepted (`[[[[...` or indentation).
    public var maxDepth = 200
    /// Largest number of nodes that alias expansion may add to the document (a "billion laughs" file hits this).
    public var maxAliasExpansion = 1_000_000

    public init() {}
}

/// Parses YAML (and JSON, which goes through the same parser) into a located syntax tree.
///
/// libyaml's event API drives an explicit stack, so nesting depth costs heap, not call stack. Anchors, aliases and
/// merge keys (`<<`) are resolved here; duplicate keys, several documents and the limits above are diagnosed here.
public enum YAMLParser {
    /// The document's root, or nil when the text could not be parsed (the diagnostics say why). An empty file
    /// gives an empty mapping.
    public static func parse(_ source: SourceFile, limits: ParseLimits = ParseLimits()) -> (Node?, [Diagnostic]) {
        var builder = TreeBuilder(source: source, limits: limits)
        let bytes = Array(source.text.utf8)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return (nil, [.error("E001", "could not initialise the YAML parser", at: nil)])
        }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> (Node?, [Diagnostic]) in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    builder.diagnostics.append(syntaxError(parser, file: source.path, lines: source))
                    return (nil, builder.diagnostics)
                }
                let done = event.type == YAML_STREAM_END_EVENT
                let ok = builder.consume(&event)
                yaml_event_delete(&event)
                if !ok { return (nil, builder.diagnostics) }
                if done { break }
            }
            let root = builder.root ?? Node(.mapping([]), at: SourceLocation(file: source.path, line: 1, column: 1))
            return (root, builder.diagnostics)
        }
    }

    private static func syntaxError(_ parser: yaml_parser_t, file: String, lines: SourceFile) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let mark = parser.problem_mark
        var notes: [DiagnosticNote] = []
        if let context = parser.context.map({ String(cString: $0) }),
           parser.context_mark.line != parser.problem_mark.line || parser.context_mark.column != parser.problem_mark.column {
            let cm = parser.context_mark
            notes.append(DiagnosticNote(context, at: SourceLocation(file: file, line: Int(cm.line) + 1, column: Int(cm.column) + 1)))
        }
        let location = SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        var help: String?
        if let line = lines.line(location.line), line.contains("\t") {
            help = "YAML does not allow tabs for indentation; use spaces"
        }
        return .error("E001", "YAML syntax error: \(problem)", at: location, notes: notes, help: help)
    }
}

/// Turns the event stream into nodes. Returns false from `consume` to stop at a fatal problem.
private struct TreeBuilder {
    /// An open collection. A class, so appending to it never copies the children gathered so far.
    final class Frame {
        let isMapping: Bool
        let anchor: String?
        let location: SourceLocation
        var items: [Node] = []
        var entries: [MappingEntry] = []
        var pendingKey: Node?
        /// Key text -> index in `entries`, for duplicate detection in constant time.
        var keys: [String: Int] = [:]

        init(isMapping: Bool, anchor: String?, location: SourceLocation) {
            self.isMapping = isMapping
            self.anchor = anchor
            self.location = location
        }
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
            let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
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
            let length = end.line == start.line ? max(1, Int(end.column) - Int(start.column)) : max(1, text.prefix { $0 != "\n" }.count)
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
            return add(Node(.mapping(resolveMerges(frame.entries)), at: frame.location), anchor: frame.anchor)
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
        guard let top = stack.last else {
            root = node
            return true
        }
        guard top.isMapping else {
            top.items.append(node)
            return true
        }
        guard let key = top.pendingKey else {
            top.pendingKey = node
            return true
        }
        top.pendingKey = nil
        if key.scalar == nil {
            diagnostics.append(.error("E008", "mapping keys must be plain names, not \(key.kindDescription)", at: key.location))
        }
        let isMerge = key.scalar?.style == .plain && key.scalar?.text == "<<"
        if let name = key.scalar?.text, !isMerge {
            if let first = top.keys[name] {
                diagnostics.append(.error("E003", "duplicate key '\(name)'", at: key.location,
                                          notes: [DiagnosticNote("first defined here", at: top.entries[first].key.location)],
                                          help: "remove one of them; YAML keeps only one value per key"))
                return true
            }
            top.keys[name] = top.entries.count
        }
        top.entries.append(MappingEntry(key: key, value: node))
        return true
    }

    /// Applies YAML merge keys: `<<: *base` or `<<: [*a, *b]` copies keys not written explicitly; earlier sources win.
    private mutating func resolveMerges(_ entries: [MappingEntry]) -> [MappingEntry] {
        guard entries.contains(where: isMergeKey) else { return entries }
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
        return s.style == .plain && s.text == "<<"
    }
}
