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
        // SourceFile keeps its text contiguous, so libyaml reads it in place rather than from a copy.
        if let parsed = source.text.utf8.withContiguousStorageIfAvailable({ parse(source, bytes: $0, limits: limits) }) {
            return parsed
        }
        return Array(source.text.utf8).withUnsafeBufferPointer { parse(source, bytes: $0, limits: limits) }
    }

    private static func parse(_ source: SourceFile, bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits) -> (Node?, [Diagnostic]) {
        let empty = Node(.mapping([]), at: SourceLocation(file: source.path, line: 1, column: 1))
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return (empty, []) }
        var builder = TreeBuilder(source: source, limits: limits)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return (nil, [.error("E001", "could not initialise the YAML parser", at: nil)])
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, start, bytes.count)
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
        return (builder.root ?? empty, builder.diagnostics)
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
