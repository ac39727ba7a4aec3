/// Python `str` methods with CPython's semantics (whitespace per `str.isspace`, `split()` without a separator
/// collapsing runs, `title()` starting a word after any non-letter).
enum StringMethods {
    static func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }

    static func strip(_ s: String, _ chars: Set<Unicode.Scalar>?, leading: Bool, trailing: Bool) -> String {
        let scalars = s.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        func drop(_ c: Unicode.Scalar) -> Bool { chars.map { $0.contains(c) } ?? isSpace(c) }
        if leading { while start < end, drop(scalars[start]) { start = scalars.index(after: start) } }
        if trailing {
            while end > start {
                let before = scalars.index(before: end)
                guard drop(scalars[before]) else { break }
                end = before
            }
        }
        return String(scalars[start..<end])
    }

    static func replace(_ s: String, _ old: String, _ new: String, count: Int?) -> String {
        let limit = count.map { $0 < 0 ? Int.max : $0 } ?? Int.max
        if limit == 0 { return s }
        if old.isEmpty {
            var out = ""
            var n = 0
            for ch in s {
                if n < limit { out += new; n += 1 }
                out.append(ch)
            }
            if n < limit { out += new }
            return out
        }
        return s.replacing(old, with: new, maxReplacements: limit)
    }

    /// `str.split(sep=None, maxsplit=-1)`.
    static func split(_ s: String, _ sep: String?, maxSplit: Int) -> [String] {
        let limit = maxSplit < 0 ? Int.max : maxSplit
        guard let sep else {
            var parts: [String] = []
            var current = String.UnicodeScalarView()
            var inWord = false
            var scalars = s.unicodeScalars[...]
            while let c = scalars.first {
                if isSpace(c) {
                    if inWord {
                        parts.append(String(current))
                        current = String.UnicodeScalarView()
                        inWord = false
                        if parts.count == limit {
                            let rest = strip(String(scalars), nil, leading: true, trailing: false)
                            if !rest.isEmpty { parts.append(rest) }
                            return parts
                        }
                    }
                } else {
                    current.append(c)
                    inWord = true
                }
                scalars = scalars.dropFirst()
            }
            if inWord { parts.append(String(current)) }
            return parts
        }
        let pieces = s.split(separator: sep, maxSplits: limit == Int.max ? Int.max : limit, omittingEmptySubsequences: false)
        return pieces.map(String.init)
    }

    static func rsplit(_ s: String, _ sep: String?, maxSplit: Int) -> [String] {
        guard maxSplit >= 0 else { return split(s, sep, maxSplit: -1) }
        let reversedParts = split(String(s.reversed()), sep.map { String($0.reversed()) }, maxSplit: maxSplit)
        return reversedParts.reversed().map { String($0.reversed()) }
    }

    /// Python's `str.title()`.
    static func title(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for ch in s {
            if ch.isLetter {
                out += previousCased ? ch.lowercased() : ch.uppercased()
                previousCased = true
            } else {
                out.append(ch)
                previousCased = false
            }
        }
        return out
    }

    /// Jinja's `title` filter: words start after whitespace, `-`, or an opening bracket.
    static func jinjaTitle(_ s: String) -> String {
        var out = ""
        var atStart = true
        for ch in s {
            if ch.isWhitespace || "-({[<".contains(ch) {
                out.append(ch)
                atStart = true
            } else {
                out += atStart ? ch.uppercased() : ch.lowercased()
                atStart = false
            }
        }
        return out
    }

    static func capitalize(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst().lowercased()
    }

    /// Index (in characters) of the first occurrence of `sub`, or nil.
    static func find(_ s: String, _ sub: String, reverse: Bool) -> Int? {
        guard !sub.isEmpty else { return reverse ? s.count : 0 }
        let hay = Array(s), needle = Array(sub)
        guard needle.count <= hay.count else { return nil }
        let starts = Array(0...(hay.count - needle.count))
        for i in reverse ? starts.reversed() : starts where Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    static func count(_ s: String, _ sub: String) -> Int {
        guard !sub.isEmpty else { return s.count + 1 }
        return s.ranges(of: sub).count
    }

    static func pad(_ s: String, _ width: Int, _ fill: Character, align: Character) -> String {
        let n = width - s.count
        guard n > 0 else { return s }
        switch align {
        case "<": return s + String(repeating: fill, count: n)
        case ">": return String(repeating: fill, count: n) + s
        default:
            // CPython's center puts the extra fill character on the left when the width and length are both odd.
            let left = n / 2 + (n & width & 1)
            return String(repeating: fill, count: left) + s + String(repeating: fill, count: n - left)
        }
    }
}
