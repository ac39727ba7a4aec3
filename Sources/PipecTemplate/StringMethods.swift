/// Python `str` methods with CPython's semantics (whitespace per `str.isspace`, `split()` without a separator
/// collapsing runs, `title()` starting a word after any non-letter).
enum StringMethods {
    static func isSpace(_ s: Unicode.Scalar) -> Bool { PyStr.isSpace(s) }

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

    /// `str.replace(old, new, count)` on code points.
    static func replace(_ s: String, _ old: String, _ new: String, count: Int?) -> String {
        let limit = count.map { $0 < 0 ? Int.max : $0 } ?? Int.max
        if limit == 0 { return s }
        let hay = PyStr.scalars(s)
        if old.isEmpty {
            var out = ""
            var n = 0
            for c in hay {
                if n < limit { out += new; n += 1 }
                out.unicodeScalars.append(c)
            }
            if n < limit { out += new }
            return out
        }
        let needle = PyStr.scalars(old)
        var out = String.UnicodeScalarView()
        var i = 0
        for at in PyStr.occurrences(hay, needle, limit: limit) {
            out.append(contentsOf: hay[i..<at])
            out.append(contentsOf: new.unicodeScalars)
            i = at + needle.count
        }
        out.append(contentsOf: hay[i...])
        return String(out)
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
        let hay = PyStr.scalars(s), needle = PyStr.scalars(sep)
        var parts: [String] = []
        var i = 0
        for at in PyStr.occurrences(hay, needle, limit: limit) {
            parts.append(PyStr.string(hay[i..<at]))
            i = at + needle.count
        }
        parts.append(PyStr.string(hay[i...]))
        return parts
    }

    static func rsplit(_ s: String, _ sep: String?, maxSplit: Int) -> [String] {
        guard maxSplit >= 0 else { return split(s, sep, maxSplit: -1) }
        func reversed(_ t: String) -> String { PyStr.string(t.unicodeScalars.reversed()) }
        let reversedParts = split(reversed(s), sep.map(reversed), maxSplit: maxSplit)
        return reversedParts.reversed().map(reversed)
    }

    /// Python's `str.title()`.
    static func title(_ s: String) -> String { PyStr.title(s) }

    /// Jinja's `title` filter: the string split at runs of whitespace, `-`, or opening brackets; each piece
    /// `piece[0].upper() + piece[1:].lower()`.
    static func jinjaTitle(_ s: String) -> String {
        var out = ""
        var piece = String.UnicodeScalarView()
        func flush() {
            guard let first = piece.first else { return }
            out += PyStr.upper(first) + PyStr.lower(String(piece.dropFirst()))
            piece = String.UnicodeScalarView()
        }
        for c in s.unicodeScalars {
            if isSpace(c) || "-({[<".unicodeScalars.contains(c) {
                flush()
                out.unicodeScalars.append(c)
            } else {
                piece.append(c)
            }
        }
        flush()
        return out
    }

    static func capitalize(_ s: String) -> String { PyStr.capitalize(s) }

    /// Index (in code points) of the first (or last) occurrence of `sub`, or nil.
    static func find(_ s: String, _ sub: String, reverse: Bool) -> Int? {
        PyStr.find(PyStr.scalars(s), PyStr.scalars(sub), reverse: reverse)
    }

    static func count(_ s: String, _ sub: String) -> Int {
        guard !sub.isEmpty else { return PyStr.length(s) + 1 }
        return PyStr.occurrences(PyStr.scalars(s), PyStr.scalars(sub)).count
    }

    /// A padding width no string a template builds may reach (`'{:>99999999999}'`, `ljust(10 ** 12)`).
    static func checkWidth(_ width: Int) throws(EvalFailure) {
        guard width <= Ops.defaultSizeLimit else {
            throw EvalFailure(TemplateErrorCode.limit, "a width of \(width) exceeds the \(Ops.defaultSizeLimit) bytes a string may have")
        }
    }

    static func pad(_ s: String, _ width: Int, _ fill: Unicode.Scalar, align: Character) throws(EvalFailure) -> String {
        let n = width - PyStr.length(s)
        guard n > 0 else { return s }
        try checkWidth(width)
        let f = String(fill)
        switch align {
        case "<": return s + String(repeating: f, count: n)
        case ">": return String(repeating: f, count: n) + s
        default:
            // CPython's center puts the extra fill character on the left when the width and length are both odd.
            let left = n / 2 + (n & width & 1)
            return String(repeating: f, count: left) + s + String(repeating: f, count: n - left)
        }
    }
}
