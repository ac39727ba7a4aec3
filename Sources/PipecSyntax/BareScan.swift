internal import CYaml

/// libyaml's event scan with nothing built from it: the floor any YAML-based validator stands on, which the
/// validate benchmark measures pipec's front end against. It lives here so that only this module imports libyaml.
package enum BareScan {
    /// The number of events libyaml produces for `bytes` (stopping at the end of the stream or the first error).
    package static func countEvents(_ bytes: [UInt8]) -> Int {
        var parser = yaml_parser_t()
        yaml_parser_initialize(&parser)
        defer { yaml_parser_delete(&parser) }
        var events = 0
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                events += 1
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                if done { break }
            }
        }
        return events
    }
}
