/// Python's `str` is a sequence of code points compared code point by code point; Swift's `String` counts
/// grapheme clusters and compares under canonical equivalence (`"e\u{301}" == "\u{e9}"`). Every length, index,
/// slice, search and comparison a template sees goes through these, so `'🇫🇷 fr'[2]` is `' '` as in Jinja.
enum PyStr {
    typealias Scalars = [Unicode.Scalar]

    static func scalars(_ s: String) -> Scalars { Array(s.unicodeScalars) }

    static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    static func length(_ s: String) -> Int { s.unicodeScalars.count }

    /// Code-point equality (the UTF-8 bytes are equal exactly when the code points are).
    static func equal(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    static func hasPrefix(_ s: String, _ p: String) -> Bool { s.utf8.starts(with: p.utf8) }

    static func hasSuffix(_ s: String, _ p: String) -> Bool { s.utf8.reversed().starts(with: p.utf8.reversed()) }

    /// Index of the first (or last) occurrence of `needle` in `hay` at or after `from`; nil if none.
    static func find(_ hay: Scalars, _ needle: Scalars, reverse: Bool = false, from: Int = 0) -> Int? {
        guard needle.count <= hay.count - from else { return nil }
        if needle.isEmpty { return reverse ? hay.count : from }
        let last = hay.count - needle.count
        let first = needle[0]
        // Walked in place: an array of candidate starts made per call turned `replace` over a long string quadratic.
        func matches(_ i: Int) -> Bool { hay[i] == first && hay[i..<(i + needle.count)].elementsEqual(needle) }
        if reverse {
            var i = last
            while i >= from { if matches(i) { return i }; i -= 1 }
        } else {
            var i = from
            while i <= last { if matches(i) { return i }; i += 1 }
        }
        return nil
    }

    /// Start indices of non-overlapping occurrences, left to right (as `str.count` and `str.replace` see them).
    static func occurrences(_ hay: Scalars, _ needle: Scalars, limit: Int = .max) -> [Int] {
        var found: [Int] = []
        var i = 0
        while found.count < limit, let at = find(hay, needle, from: i) {
            found.append(at)
            i = at + needle.count
        }
        return found
    }

    static func contains(_ s: String, _ sub: String) -> Bool {
        sub.isEmpty || find(scalars(s), scalars(sub)) != nil
    }

    // MARK: case mapping, as CPython's unicodeobject.c does it

    static func upper(_ c: Unicode.Scalar) -> String { c.properties.uppercaseMapping }

    /// Lower-cases `s[i]`, with the Final_Sigma rule CPython applies to U+03A3.
    private static func lower(_ s: Scalars, _ i: Int) -> String {
        let c = s[i]
        guard c == "\u{3A3}" else { return c.properties.lowercaseMapping }
        var j = i - 1
        while j >= 0, s[j].properties.isCaseIgnorable { j -= 1 }
        var final = j >= 0 && s[j].properties.isCased
        if final, i + 1 < s.count {
            var k = i + 1
            while k < s.count, s[k].properties.isCaseIgnorable { k += 1 }
            final = k == s.count || !s[k].properties.isCased
        }
        return final ? "\u{3C2}" : "\u{3C3}"
    }

    static func lower(_ s: String) -> String {
        let c = scalars(s)
        var out = ""
        for i in c.indices { out += lower(c, i) }
        return out
    }

    static func upper(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars { out += upper(c) }
        return out
    }

    /// `str.title()`: a cased character after a cased one is lowered, any other is title-cased.
    static func title(_ s: String) -> String {
        let c = scalars(s)
        var out = ""
        var previousCased = false
        for i in c.indices {
            out += previousCased ? lower(c, i) : c[i].properties.titlecaseMapping
            previousCased = c[i].properties.isCased
        }
        return out
    }

    /// `str.capitalize()` (Python 3.8+): the first character title-cased, the rest lowered.
    static func capitalize(_ s: String) -> String {
        let c = scalars(s)
        guard let first = c.first else { return s }
        var out = first.properties.titlecaseMapping
        for i in c.indices.dropFirst() { out += lower(c, i) }
        return out
    }

    static func swapcase(_ s: String) -> String {
        let c = scalars(s)
        var out = ""
        for i in c.indices {
            let p = c[i].properties
            out += p.isUppercase ? lower(c, i) : p.isLowercase ? upper(c[i]) : String(c[i])
        }
        return out
    }

    /// Python's `str.isspace()` per character: Unicode White_Space plus the separators U+001C...U+001F.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || (0x1C...0x1F).contains(c.value)
    }

    /// A character of regex `\w` in a Python `str` pattern: alphanumeric (letters, any numeric) or `_`.
    static func isWord(_ c: Unicode.Scalar) -> Bool {
        if c == "_" { return true }
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return c.properties.numericType != nil
        }
    }

    /// `str.islower()` / `str.isupper()`: some cased character, and none of the other case (nor title case).
    static func hasOnlyCase(_ s: String, upper: Bool) -> Bool {
        var cased = false
        for c in s.unicodeScalars {
            let p = c.properties
            if p.generalCategory == .titlecaseLetter || (upper ? p.isLowercase : p.isUppercase) { return false }
            if upper ? p.isUppercase : p.isLowercase { cased = true }
        }
        return cased
    }
}
