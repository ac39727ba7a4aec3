import PipecTemplate

/// How a spec's table name (`[schema.]name`) is written in each dialect's SQL: what `ref()` and `source()` render
/// and what the generated DDL uses. Names are quoted only when a bare name would not mean the same table.
public enum TableNaming {
    public static func sql(_ name: String, dialect: SQLDialect) -> String {
        // Nearly every name is written as-is (`silver.orders`): find that in one pass over the bytes, without
        // splitting, lower-casing and joining.
        if isBareAsWritten(name, dialect) { return name }
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        switch dialect {
        case .sqlite:
            // SQLite has no schemas (a prefix names an attached database): `raw.orders` is one table, "raw.orders".
            return parts.count == 2 ? quote(name, dialect) : identifier(name, dialect)
        default:
            return parts.map { identifier($0, dialect) }.joined(separator: ".")
        }
    }

    /// A single identifier, bare when that is unambiguous.
    public static func identifier(_ part: String, _ dialect: SQLDialect) -> String {
        isBare(part, dialect) ? part : quote(part, dialect)
    }

    public static func quote(_ part: String, _ dialect: SQLDialect) -> String {
        switch dialect {
        case .clickhouse, .athena:
            return "`" + part.replacingAll("\\", with: "\\\\").replacingAll("`", with: "\\`") + "`"
        default:
            return "\"" + part.replacingAll("\"", with: "\"\"") + "\""
        }
    }

    private static func isBare(_ s: String, _ dialect: SQLDialect) -> Bool {
        guard let first = s.utf8.first, first == UInt8(ascii: "_") || isLetter(first, dialect) else { return false }
        let ok = s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 0x30 && $0 <= 0x39) || isLetter($0, dialect) }
        return ok && !reserved.contains(s.lowercased())
    }

    /// Whether `sql` gives `name` itself: one bare part, or (outside SQLite, which has no schemas) two bare parts
    /// around a dot. The same test as `isBare` on each part.
    private static func isBareAsWritten(_ name: String, _ dialect: SQLDialect) -> Bool {
        name.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var start = 0
            var parts = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: ".") {
                parts += 1
                guard parts <= (dialect == .sqlite ? 1 : 2), isBarePart(UnsafeBufferPointer(rebasing: bytes[start..<i]), dialect) else { return false }
                start = i + 1
            }
            return true
        } ?? false   // not contiguous (a bridged string): the general path answers
    }

    private static func isBarePart(_ part: UnsafeBufferPointer<UInt8>, _ dialect: SQLDialect) -> Bool {
        guard let first = part.first, first == UInt8(ascii: "_") || isLetter(first, dialect) else { return false }
        var lettersOnly = true
        for b in part {
            if isLetter(b, dialect) { continue }
            guard b == UInt8(ascii: "_") || (b >= 0x30 && b <= 0x39) else { return false }
            lettersOnly = false
        }
        // Reserved words are letters only, at most 8 of them.
        guard lettersOnly, part.count <= 8 else { return true }
        let lower = String(unsafeUninitializedCapacity: part.count) { out in
            for (i, b) in part.enumerated() { out[i] = b >= 0x41 && b <= 0x5A ? b + 0x20 : b }
            return part.count
        }
        return !reserved.contains(lower)
    }

    /// PostgreSQL folds unquoted names to lower case, so upper-case letters need quotes there.
    private static func isLetter(_ b: UInt8, _ dialect: SQLDialect) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (dialect != .postgres && b >= 0x41 && b <= 0x5A)
    }

    private static let reserved: Set<String> = [
        "all", "and", "as", "asc", "by", "case", "check", "column", "create", "default", "desc", "distinct", "drop", "else",
        "end", "from", "group", "having", "in", "index", "insert", "into", "is", "join", "key", "limit", "not", "null",
        "on", "or", "order", "primary", "select", "set", "table", "then", "to", "union", "unique", "update", "user",
        "using", "values", "when", "where", "with",
    ]
}

extension String {
    /// Replaces every occurrence (without Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
