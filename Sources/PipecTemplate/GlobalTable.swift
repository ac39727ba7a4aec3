/// The context's globals in an open-addressing table keyed by a hash each name reference computes once at parse
/// time, so a render looks a global up without hashing strings (most names a template reads are globals).
final class GlobalTable: Sendable {
    let dictionary: [String: TemplateValue]
    private let names: [String]
    private let hashes: [UInt64]
    private let values: [TemplateValue]
    private let buckets: [Int32]
    private let mask: Int

    init(_ globals: [String: TemplateValue]) {
        dictionary = globals
        var names: [String] = []
        var hashes: [UInt64] = []
        var values: [TemplateValue] = []
        names.reserveCapacity(globals.count)
        for (k, v) in globals {
            names.append(k)
            hashes.append(GlobalTable.hash(k))
            values.append(v)
        }
        var capacity = 8
        while capacity < globals.count * 2 { capacity <<= 1 }
        var buckets = [Int32](repeating: -1, count: capacity)
        for (i, h) in hashes.enumerated() {
            var at = Int(truncatingIfNeeded: h) & (capacity - 1)
            while buckets[at] >= 0 { at = (at + 1) & (capacity - 1) }
            buckets[at] = Int32(i)
        }
        self.names = names
        self.hashes = hashes
        self.values = values
        self.buckets = buckets
        self.mask = capacity - 1
    }

    @inline(__always)
    func lookup(_ name: String, hash: UInt64) -> TemplateValue? {
        var at = Int(truncatingIfNeeded: hash) & mask
        while true {
            let i = Int(buckets[at])
            if i < 0 { return nil }
            if hashes[i] == hash && names[i] == name { return values[i] }
            at = (at + 1) & mask
        }
    }

    /// FNV-1a over the UTF-8 bytes.
    static func hash(_ name: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h ^ (h >> 29)
    }
}
