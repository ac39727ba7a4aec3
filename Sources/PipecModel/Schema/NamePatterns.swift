/// The lexical rules for names in specs. `{item}` is allowed wherever a `for_each` copy will replace it.
/// Byte-level: these run on every name of 10,000-table specs.
enum NamePatterns {
    static func isIdentifier(_ s: String) -> Bool {
        var first = true
        for b in s.utf8 {
            let ok = isLower(b) || (!first && (isDigit(b) || b == UInt8(ascii: "_")))
            if !ok { return false }
            first = false
        }
        return !first
    }

    static func isTableName(_ s: String) -> Bool {
        var parts = 1
        var partStart = true
        var iterator = s.utf8.makeIterator()
        var pendingItem = 0
        while let b = iterator.next() {
            if b == UInt8(ascii: ".") {
                if partStart { return false }
                parts += 1
                partStart = true
                continue
            }
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "}") { pendingItem += 1; partStart = false; continue }
            if partStart && isDigit(b) { return false }
            if !(isLetter(b) || isDigit(b) || b == UInt8(ascii: "_")) { return false }
            partStart = false
        }
        if pendingItem > 0 && !s.containsItemPlaceholder { return false }
        return !partStart && parts <= 2
    }

    static func isName(_ s: String) -> Bool {
        var first = true
        var braces = 0
        for b in s.utf8 {
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "}") { braces += 1; first = false; continue }
            let ok = isLetter(b) || b == UInt8(ascii: "_") || (!first && (isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")))
            if !ok { return false }
            first = false
        }
        if braces > 0 && !s.containsItemPlaceholder { return false }
        return !first
    }

    static func isEnvName(_ s: String) -> Bool {
        var first = true
        for b in s.utf8 {
            let ok = isLetter(b) || b == UInt8(ascii: "_") || (!first && isDigit(b))
            if !ok { return false }
            first = false
        }
        return !first
    }

    static func isSQLName(_ s: Substring) -> Bool {
        var first = true
        for b in s.utf8 {
            let ok = isLetter(b) || b == UInt8(ascii: "_") || (!first && isDigit(b))
            if !ok { return false }
            first = false
        }
        return !first
    }

    @inline(__always) private static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    @inline(__always) private static func isLetter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) }
    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}

extension String {
    /// Whether the only braces in the string are `{item}` placeholders.
    var containsItemPlaceholder: Bool {
        var rest = Substring(self)
        var found = false
        while let open = rest.firstIndex(of: "{") {
            let after = rest[open...]
            guard after.hasPrefix("{item}") else { return false }
            found = true
            rest = after.dropFirst(6)
        }
        return found && !rest.contains("}")
    }
}
