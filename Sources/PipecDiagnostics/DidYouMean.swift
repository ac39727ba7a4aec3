/// Suggestions for misspelt names: the closest candidate by edit distance, if it is close enough to be a likely typo.
public enum DidYouMean {
    /// The best candidate for `word`, or nil when none is within a distance that scales with the word's length.
    public static func suggest(_ word: String, from candidates: some Sequence<String>) -> String? {
        // No name a spec knows is this long: a megabyte key is no typo, and comparing it would take its size times
        // every candidate.
        guard word.utf8.count <= 1024 else { return nil }
        let limit = max(1, min(3, word.count / 3 + 1))
        let lowered = word.lowercased()
        // Ties are broken by the longest shared prefix, then suffix, then alphabetically, so the answer never
        // depends on the order a Set or Dictionary happens to iterate in.
        var best: (name: String, rank: (Int, Int, Int))?
        for candidate in candidates where candidate != word {
            let other = candidate.lowercased()
            let distance = editDistance(lowered, other, limit: limit)
            guard distance <= limit else { continue }
            let rank = (distance, -commonPrefix(lowered, other), -commonPrefix(String(lowered.reversed()), String(other.reversed())))
            if let b = best, rank > b.rank || (rank == b.rank && candidate >= b.name) { continue }
            best = (candidate, rank)
        }
        return best?.name
    }

    private static func commonPrefix(_ a: String, _ b: String) -> Int {
        zip(a.unicodeScalars, b.unicodeScalars).prefix { $0 == $1 }.count
    }

    /// A name as a message quotes it: whole up to 120 characters, else its start and its length, so a 50 MB key
    /// gives a one-line message.
    public static func shortened(_ name: String) -> String {
        guard name.utf8.count > 120 else { return name }
        let scalars = name.unicodeScalars
        guard scalars.count > 120 else { return name }
        return String(String.UnicodeScalarView(scalars.prefix(60))) + "... (\(scalars.count) characters)"
    }

    /// The `help:` text for a suggestion, or nil.
    public static func help(_ word: String, from candidates: some Sequence<String>) -> String? {
        suggest(word, from: candidates).map { "did you mean '\($0)'?" }
    }

    /// Edit distance counting an adjacent transposition as one edit ("retires" vs "retries"), giving up
    /// (returning `limit + 1`) once every alignment exceeds `limit`.
    public static func editDistance(_ a: String, _ b: String, limit: Int = .max) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, beforePrevious[j - 2] + 1)
                }
                current[j] = value
                rowMin = min(rowMin, value)
            }
            if rowMin > limit { return limit + 1 }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
