internal import CYaml
import PipecDiagnostics

/// Runs libyaml over a buffer and hands its events out in batches. Owns the libyaml parser; one thread at a time
/// uses it (the parser's own thread, or a reader thread for large files).
final class EventReader: @unchecked Sendable {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let source: SourceFile
    private var finished = false

    /// nil when libyaml cannot be initialised. `bytes` must stay valid for as long as the reader is used.
    init?(source: SourceFile, bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress else { return nil }
        parser = .allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            return nil
        }
        self.source = source
        yaml_parser_set_input_string(parser, start, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    /// Up to `limit` further events; the batch is the last once the stream ended or libyaml failed.
    func next(limit: Int) -> EventBatch {
        var batch = EventBatch()
        guard !finished else {
            batch.isLast = true
            return batch
        }
        let bytes = ScalarBytes(capacity: bytesPerBatch)
        var names: [String] = []
        var failure: Diagnostic?
        var done = false
        // Events are written in place: this loop runs on the thread that bounds parsing.
        batch.events = Array(unsafeUninitializedCapacity: limit) { events, count in
            var event = yaml_event_t()
            while count < limit {
                guard yaml_parser_parse(parser, &event) == 1 else {
                    failure = syntaxError()
                    done = true
                    return
                }
                let end = event.type == YAML_STREAM_END_EVENT
                (events.baseAddress! + count).initialize(to: Self.copy(&event, bytes: bytes, names: &names))
                count += 1
                yaml_event_delete(&event)
                if end {
                    done = true
                    return
                }
            }
        }
        batch.bytes = bytes
        batch.names = names
        batch.failure = failure
        if done {
            batch.isLast = true
            finished = true
        }
        bytesPerBatch = max(bytesPerBatch, bytes.count)
        return batch
    }

    /// Scalar bytes the largest batch so far held: room reserved in the next, so its bytes are not copied as they grow.
    private var bytesPerBatch = 4096

    private static func copy(_ event: inout yaml_event_t, bytes: ScalarBytes, names: inout [String]) -> ParseEvent {
        let kind: ParseEvent.Kind
        var style = ScalarStyle.plain
        var valueStart = 0, valueCount = 0
        var name: UnsafeMutablePointer<yaml_char_t>?
        switch event.type {
        case YAML_DOCUMENT_START_EVENT: kind = .documentStart
        case YAML_SCALAR_EVENT:
            kind = .scalar
            let data = event.data.scalar
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            valueCount = data.length
            valueStart = data.length == 0 ? bytes.count : bytes.append(data.value, data.length)
            name = data.anchor
        case YAML_SEQUENCE_START_EVENT:
            kind = .sequenceStart
            name = event.data.sequence_start.anchor
        case YAML_SEQUENCE_END_EVENT: kind = .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            kind = .mappingStart
            name = event.data.mapping_start.anchor
        case YAML_MAPPING_END_EVENT: kind = .mappingEnd
        case YAML_ALIAS_EVENT:
            kind = .alias
            name = event.data.alias.anchor
        case YAML_STREAM_END_EVENT: kind = .streamEnd
        default: kind = .other
        }
        var nameIndex: Int32 = -1
        if let name {
            nameIndex = Int32(names.count)
            names.append(String(cString: name))
        }
        return ParseEvent(kind: kind, style: style,
                          startLine: Int32(clamping: event.start_mark.line), startColumn: Int32(clamping: event.start_mark.column),
                          endLine: Int32(clamping: event.end_mark.line), endColumn: Int32(clamping: event.end_mark.column),
                          valueStart: valueStart, valueCount: valueCount, name: nameIndex)
    }

    private func syntaxError() -> Diagnostic {
        let file = source.path
        let problem = parser.pointee.problem.map { String(cString: $0) } ?? "invalid YAML"
        let mark = parser.pointee.problem_mark
        var notes: [DiagnosticNote] = []
        let cm = parser.pointee.context_mark
        if let context = parser.pointee.context.map({ String(cString: $0) }), cm.line != mark.line || cm.column != mark.column {
            notes.append(DiagnosticNote(context, at: SourceLocation(file: file, line: Int(cm.line) + 1, column: Int(cm.column) + 1)))
        }
        let location = SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        var help: String?
        if let line = source.line(location.line), line.utf8.contains(UInt8(ascii: "\t")) {
            help = "YAML does not allow tabs for indentation; use spaces"
        }
        return .error("E001", "YAML syntax error: \(problem)", at: location, notes: notes, help: help)
    }
}
