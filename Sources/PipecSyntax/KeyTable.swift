/// A fixed list of mapping keys, matched against key nodes by their first eight bytes and length (`TextKey`), so a
/// mapping is read in one pass without building or comparing strings for most keys. For readers that look up many
/// keys of many mappings: a schema's fields, a table's settings.
public struct KeyTable: Sendable {
    public let names: [String]
    let keys: [TextKey]

    public init(_ names: [String]) {
        self.names = names
        keys = names.map(TextKey.init)
    }

    /// The position in `names` of the key `node`, if it is one of them.
    public func position(of node: Node) -> Int? {
        let r = node.record
        guard r.kind == .scalar else { return nil }
        return position(of: TextKey(of: r)) { node.tree.storage.scalar(of: node.id, r).text }
    }

    private func position(of key: TextKey, text: () -> String) -> Int? {
        for i in keys.indices where keys[i].prefix == key.prefix && keys[i].length == key.length {
            if key.isWholeText || names[i] == text() { return i }
        }
        return nil
    }

    /// The value under each of `names` in `mapping` (nil where missing, and for a node that is not a mapping), by
    /// position in `names`. A key written twice is diagnosed by the parser; the first is taken. Walks the mapping's
    /// ids: only the values found become nodes.
    public func values(in mapping: Node) -> [Node?] {
        var values = [Node?](repeating: nil, count: names.count)
        let storage = mapping.tree.storage
        let r = storage.record(mapping.id)
        guard r.kind == .mapping else { return values }
        let first = Int(r.first)
        for entry in 0..<Int(r.count) {
            let key = storage.child(of: mapping.id, at: first + 2 * entry)
            let k = storage.record(key)
            guard k.kind == .scalar, let i = position(of: TextKey(of: k), text: { storage.scalar(of: key, k).text }), values[i] == nil else { continue }
            values[i] = Node(tree: mapping.tree, id: storage.child(of: mapping.id, at: first + 2 * entry + 1))
        }
        return values
    }
}
