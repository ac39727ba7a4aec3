import Foundation

/// Where a file stops being UTF-8: the first byte that does not start or continue a valid sequence, as a byte
/// offset and a 1-based line and column (characters of the line's valid part before it).
enum InvalidUTF8 {
    static func firstBadByte(in data: Data) -> (offset: Int, line: Int, column: Int) {
        let bytes = [UInt8](data)
        var i = 0
        var line = 1, lineStart = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return position(i)
            }
            guard i + length <= bytes.count else { return position(i) }
            // Continuation bytes, and no overlong, surrogate or out-of-range forms (Swift's own validation decides).
            if length > 1, String(validating: bytes[i..<i + length], as: UTF8.self) == nil { return position(i) }
            if b == UInt8(ascii: "\n") { line += 1; lineStart = i + 1 }
            i += length
        }
        return position(bytes.count)

        func position(_ offset: Int) -> (offset: Int, line: Int, column: Int) {
            let before = String(decoding: bytes[lineStart..<offset], as: UTF8.self)
            return (min(offset, max(0, bytes.count - 1)), line, before.count + 1)
        }
    }
}
