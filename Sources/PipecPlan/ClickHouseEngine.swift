/// A ClickHouse table engine as written (`ReplacingMergeTree(updated_at)`): its name and arguments.
struct ClickHouseEngine: Sendable, Hashable {
    var name: String
    var arguments: [String]
    /// The text as written, used verbatim in DDL.
    var text: String

    init(_ text: String?) {
        let t = (text ?? "MergeTree").trimmingSpaces
        self.text = t
        if let open = t.firstIndex(of: "("), t.hasSuffix(")") {
            name = String(t[..<open]).trimmingSpaces
            let inner = t[t.index(after: open)..<t.index(before: t.endIndex)]
            arguments = inner.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        } else {
            name = t
            arguments = []
        }
    }

    /// MergeTree engines take PARTITION BY / ORDER BY and support REPLACE PARTITION and mutations.
    var isMergeTree: Bool { name.hasSuffix("MergeTree") }
    var isReplacing: Bool { name == "ReplacingMergeTree" || name == "ReplicatedReplacingMergeTree" }

    /// The version column of a ReplacingMergeTree (its last argument that is a plain column name).
    var versionColumn: String? {
        guard isReplacing, let last = arguments.last, last.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return last
    }
}
