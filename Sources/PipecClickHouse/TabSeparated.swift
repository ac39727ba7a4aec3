/// ClickHouse's TabSeparated text format: fields split by tabs, rows by newlines, `\N` for NULL, and backslash
/// escapes inside fields.
public enum TabSeparated {
    /// Appends a row to `out`.
    public static func write(_ row: [String?], into out: inout [UInt8]) {
        for (i, field) in row.enumerated() {
            if i > 0 { out.append(UInt8(ascii: "\t")) }
            guard let field else {
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "N"))
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case 0: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "0"))
                default: out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// The fields of one line (without its newline).
    public static func fields(_ line: UnsafeRawBufferPointer) -> [String?] {
        var fields: [String?] = []
        var start = 0
        for i in 0...line.count where i == line.count || line[i] == UInt8(ascii: "\t") {
            fields.append(field(UnsafeRawBufferPointer(rebasing: line[start..<i])))
            start = i + 1
        }
        return fields
    }

    /// The byte an escape `\x` stands for (`\t` -> tab, ...); any other escaped byte is itself (`\\`, `\'`).
    @inline(__always)
    static func unescaped(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "t"): return 9
        case UInt8(ascii: "n"): return 10
        case UInt8(ascii: "r"): return 13
        case UInt8(ascii: "b"): return 8
        case UInt8(ascii: "f"): return 12
        case UInt8(ascii: "0"): return 0
        case UInt8(ascii: "a"): return 7
        case UInt8(ascii: "v"): return 11
        default: return byte
        }
    }

    static func field(_ bytes: UnsafeRawBufferPointer) -> String? {
        if bytes.count == 2 && bytes[0] == UInt8(ascii: "\\") && bytes[1] == UInt8(ascii: "N") { return nil }
        guard bytes.contains(UInt8(ascii: "\\")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\\"), i + 1 < bytes.count {
                i += 1
                out.append(unescaped(bytes[i]))
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

import Foundation

/// Splits a streamed TabSeparated body into lines across chunk boundaries.
struct LineSplitter {
    private var carry: [UInt8] = []

    /// Calls `body` with each complete line in `chunk`.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        while start < chunk.count, let hit = memchr(base + start, 0x0A, chunk.count - start) {
            let i = base.distance(to: UnsafeRawPointer(hit))
            if carry.isEmpty {
                try body(UnsafeRawBufferPointer(rebasing: chunk[start..<i]))
            } else {
                carry.append(contentsOf: chunk[start..<i])
                try carry.withUnsafeBytes { try body($0) }
                carry.removeAll(keepingCapacity: true)
            }
            start = i + 1
        }
        carry.append(contentsOf: chunk[start...])
    }

    /// What is left after the last newline (an error message appended to a stream has none).
    var remainder: [UInt8] { carry }
}
