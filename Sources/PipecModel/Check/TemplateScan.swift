import PipecDiagnostics

/// Finds what a template reads without rendering it: `ref('t')`, `source('t')` and `tasks.NAME` uses inside
/// `{{ }}` and `{% %}`. Lineage and dependency edges come from here, so they exist even for specs whose templates
/// cannot be rendered. Works on UTF-8 bytes: it runs over every template of 10,000-table specs.
enum TemplateScan {
    struct Use: Hashable {
        var name: String
        var location: SourceLocation
    }

    /// Every `ref('t')`, `source('t')` and `tasks.NAME` inside the template's code, in one pass over its bytes.
    static func uses(in text: TemplateText) -> TemplateUses.Text {
        var found = TemplateUses.Text(refs: [], sources: [], taskOutputs: [])
        var source = text.text
        source.withUTF8 { bytes in
            forEachCodeRange(bytes) { start, end in
                calls(refNeedle, in: bytes, start, end, text: text, into: &found.refs)
                calls(sourceNeedle, in: bytes, start, end, text: text, into: &found.sources)
                taskOutputs(in: bytes, start, end, text: text, into: &found.taskOutputs)
            }
        }
        return found
    }

    private static let refNeedle = Array("ref(".utf8)
    private static let sourceNeedle = Array("source(".utf8)
    private static let tasksNeedle = Array("tasks".utf8)

    /// Every `function('literal')` call in the code between `start` and `end`; `needle` is `function(`.
    private static func calls(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, text: TemplateText,
                              into uses: inout [Use]) {
        var i = start
        while let hit = find(needle, in: bytes, from: i, to: end) {
            i = hit + needle.count
            if hit > start, isNameByte(bytes[hit - 1]) || bytes[hit - 1] == UInt8(ascii: ".") { continue }
            var j = i
            while j < end, bytes[j] == UInt8(ascii: " ") { j += 1 }
            guard j < end, bytes[j] == UInt8(ascii: "'") || bytes[j] == UInt8(ascii: "\"") else { continue }
            let quote = bytes[j]
            var k = j + 1
            while k < end, bytes[k] != quote { k += 1 }
            guard k < end else { continue }
            let name = String(decoding: bytes[(j + 1)..<k], as: UTF8.self)
            uses.append(Use(name: name, location: location(ofByte: hit, length: k + 2 - hit, in: text, bytes: bytes)))
        }
    }

    /// Every `tasks.NAME` (or `tasks['NAME']`) in the code between `start` and `end`.
    private static func taskOutputs(in bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, text: TemplateText,
                                    into uses: inout [Use]) {
        let needle = tasksNeedle
        var i = start
        while let hit = find(needle, in: bytes, from: i, to: end) {
            i = hit + needle.count
            if hit > start, isNameByte(bytes[hit - 1]) || bytes[hit - 1] == UInt8(ascii: ".") { continue }
            var j = i
            var nameStart = j, nameEnd = j
            if j < end, bytes[j] == UInt8(ascii: ".") {
                j += 1
                nameStart = j
                while j < end, isNameByte(bytes[j]) { j += 1 }
                nameEnd = j
            } else if j + 1 < end, bytes[j] == UInt8(ascii: "["), bytes[j + 1] == UInt8(ascii: "'") || bytes[j + 1] == UInt8(ascii: "\"") {
                let quote = bytes[j + 1]
                j += 2
                nameStart = j
                while j < end, bytes[j] != quote { j += 1 }
                nameEnd = j
            }
            guard nameEnd > nameStart else { continue }
            let name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
            uses.append(Use(name: name, location: location(ofByte: hit, length: nameEnd - hit, in: text, bytes: bytes)))
        }
    }

    /// Whether `tasks` occurs anywhere in `text` (a cheap test before looking for task outputs).
    static func mentionsTasks(in text: String) -> Bool {
        var text = text
        return text.withUTF8 { find(tasksNeedle, in: $0, from: 0, to: $0.count) != nil }
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int? {
        guard needle.count <= end - from else { return nil }
        var i = from
        let first = needle[0]
        while i + needle.count <= end {
            if bytes[i] == first {
                var k = 1
                while k < needle.count, bytes[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Calls `body` with the byte range of each `{{ ... }}` / `{% ... %}` body; comments are skipped.
    private static func forEachCodeRange(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == open else { i += 1; continue }
            let kind = bytes[i + 1]
            let closer: UInt8
            switch kind {
            case open: closer = close
            case UInt8(ascii: "%"): closer = UInt8(ascii: "%")
            case UInt8(ascii: "#"): closer = UInt8(ascii: "#")
            default: i += 1; continue
            }
            var j = i + 2
            while j + 1 < bytes.count, !(bytes[j] == closer && bytes[j + 1] == close) { j += 1 }
            if kind != UInt8(ascii: "#") { body(i + 2, min(j, bytes.count)) }
            i = j + 2
        }
    }

    /// Maps a byte offset in the template to its place in the file, via the template's origin.
    private static func location(ofByte offset: Int, length: Int, in text: TemplateText, bytes: UnsafeBufferPointer<UInt8>) -> SourceLocation {
        var line = 0, column = 0
        for i in 0..<offset {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 0
            } else if b & 0xC0 != 0x80 {
                column += 1   // count characters, not continuation bytes
            }
        }
        let o = text.origin
        let fileColumn = line == 0 ? o.column + column : o.indent + 1 + column
        return SourceLocation(file: o.file, line: o.line + line, column: fileColumn, length: max(1, length))
    }
}
