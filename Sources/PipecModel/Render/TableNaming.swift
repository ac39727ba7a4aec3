import PipecTemplate

/// How a spec's table name (`[schema.]name`) is written in each dialect's SQL: what `ref()` and `source()` render
/// and what the generated DDL uses. Names are quoted only when a bare name would not mean the same table.
public enum TableNaming {
    public static func sql(_ name: String, dialect: SQLDialect) -> String {
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
