import PipecDiagnostics
import PipecSyntax

/// Expands `for_each` families before validation, so diagnostics name each copy and point at its declaration.
///
/// A table, task or group with `for_each` becomes one copy per entry with `{item}` replaced by the entry's key in
/// its name and every string inside it. A table or task whose `group` names a for_each group is expanded with that
/// group's entries.
struct ForEachExpansion {
    struct Expanded {
        var key: Node
        var value: Node
        var item: ForEachItem?
        /// The family's key as written (`report_{item}`), for copies of a for_each group.
        var family: String?
    }

    private(set) var diagnostics: [Diagnostic] = []
    private var groupItems: [String: [ForEachItem]] = [:]

    /// Expands the `groups:` section first (members look their group up), then tables and tasks.
    mutating func expand(section: String, of root: Node) -> [Expanded] {
        guard let entries = root[section]?.entries else { return [] }
        var out: [Expanded] = []
        for entry in entries {
            guard let name = entry.key.text else { continue }
            var items: [ForEachItem]?
            let keys = Self.familyKeys.values(in: entry.value)
            if let spec = keys[0] {
                items = parseItems(spec)
                if !Self.mentionsItem(name) {
                    diagnostics.append(.error("E120", "'\(name)' has for_each but its name does not contain {item}", at: entry.key.location,
                                              help: "name the copies, e.g. '\(name)_{item}'"))
                    items = nil
                }
                if section == "groups", let items { groupItems[name] = items }
            } else if let group = keys[1]?.text, Self.mentionsItem(group) {
                if let shared = groupItems[group] {
                    items = shared
                } else {
                    diagnostics.append(.error("E120", "group '\(group)' of '\(name)' contains {item} but no for_each group has that name",
                                              at: keys[1]!.location,
                                              help: DidYouMean.help(group, from: groupItems.keys)))
                }
            } else if Self.mentionsItem(name) {
                diagnostics.append(.error("E120", "'\(name)' contains {item} but has no for_each (itself or through its group)", at: entry.key.location))
            }
            guard let items, Self.mentionsItem(name) else {
                out.append(Expanded(key: entry.key, value: entry.value, item: nil, family: nil))
                continue
            }
            for (i, item) in items.enumerated() {
                // Only the first copy keeps `for_each` (so the structural check reads it once): every copy carrying all
                // n entries made expansion and checking quadratic in the family's size.
                let value = i == 0 ? entry.value : Self.droppingForEach(entry.value)
                out.append(Expanded(key: substitute(entry.key, item.key), value: substitute(value, item.key), item: item,
                                    family: section == "groups" ? name : nil))
            }
        }
        return out
    }

    /// `for_each` and `group`, read in one pass over each entry.
    private static let familyKeys = KeyTable(["for_each", "group"])

    private mutating func parseItems(_ node: Node) -> [ForEachItem]? {
        if let list = node.items {
            return list.enumerated().compactMap { index, n in
                n.text.map { ForEachItem(key: $0, values: [], index: index) }
            }
        }
        if let entries = node.entries {
            return entries.enumerated().compactMap { index, e in
                guard let key = e.key.text else { return nil }
                let values: [(String, ParamValue)] = e.value.entries?.compactMap { v in
                    v.key.text.map { ($0, ParamValue(v.value)) }
                } ?? (e.value.isNull ? [] : [("value", ParamValue(e.value))])
                return ForEachItem(key: key, values: values, index: index)
            }
        }
        return nil   // the schema check reports the wrong shape
    }

    /// A family's mapping without its `for_each` entry.
    private static func droppingForEach(_ node: Node) -> Node {
        guard case .mapping(let entries) = node.content, entries.contains(where: { $0.key.text == "for_each" }) else { return node }
        return node.tree.mapping(entries.filter { $0.key.text != "for_each" }, at: node)
    }

    /// A copy of `node` with `{item}` replaced in every scalar (added to its tree; parts without `{item}` are
    /// shared, not copied). `{{item}}` (a template expression) is left alone. The `for_each` entry itself is kept
    /// as written.
    private func substitute(_ node: Node, _ key: String) -> Node {
        substituted(node, key) ?? node
    }

    /// `substitute`, or nil when nothing under `node` mentions `{item}` (so unchanged parts are not rebuilt).
    private func substituted(_ node: Node, _ key: String) -> Node? {
        switch node.content {
        case .scalar(let s):
            guard Self.mentionsItem(s.text) else { return nil }
            return node.tree.scalar(Self.replaceItem(in: s.text, with: key), replacing: node)
        case .sequence(let items):
            let copies = items.map { substituted($0, key) }
            guard copies.contains(where: { $0 != nil }) else { return nil }
            return node.tree.sequence(zip(items, copies).map { $1 ?? $0 }, at: node)
        case .mapping(let entries):
            var changed = false
            let copies = entries.map { entry -> MappingEntry in
                if entry.key.text == "for_each" { return entry }
                let k = substituted(entry.key, key), v = substituted(entry.value, key)
                if k != nil || v != nil { changed = true }
                return MappingEntry(key: k ?? entry.key, value: v ?? entry.value)
            }
            return changed ? node.tree.mapping(copies, at: node) : nil
        }
    }

    /// `text.contains("{item}")`, answered from the bytes when there is no `{` at all: names of 10,000-table specs
    /// are asked this several times each, and the general search is slow.
    static func mentionsItem(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: "{")) && text.contains("{item}")
    }

    static func replaceItem(in text: String, with key: String) -> String {
        var out = ""
        let chars = Array(text)
        var i = 0
        let pattern = Array("{item}")
        while i < chars.count {
            if chars[i] == "{", i + pattern.count <= chars.count, Array(chars[i..<(i + pattern.count)]) == pattern,
               !(i > 0 && chars[i - 1] == "{"), !(i + pattern.count < chars.count && chars[i + pattern.count] == "}") {
                out += key
                i += pattern.count
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }
}

extension ParamValue {
    init(_ node: Node) {
        switch node.content {
        case .scalar(let s): self = s.isNull ? .null : .scalar(s.text, quoted: s.style != .plain)
        case .sequence(let items): self = .list(items.map(ParamValue.init))
        case .mapping(let entries): self = .mapping(entries.compactMap { e in e.key.text.map { ParamEntry(key: $0, value: ParamValue(e.value)) } })
        }
    }
}
