import PipecSchedule
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Time zone abbreviations (`%Z` -> `CET`/`CEST`) read from the system's TZif files, because Foundation on Linux
/// only offers `GMT+1`. Only used by `%Z` and `tzname()`, never on the common render path.
enum ZoneAbbreviations {
    private struct Table {
        var transitions: [Int64]
        var transitionTypes: [Int]
        var types: [(offset: Int, abbreviation: String)]
    }

    private static let lock = TemplateLock()
    nonisolated(unsafe) private static var cache: [String: Table?] = [:]

    /// The abbreviation in force at `instant`, chosen among the zone's types with the offset the zone reports
    /// there (so dates past the file's last transition still get the right name). nil if no tzdata is found.
    static func abbreviation(_ identifier: String, at instant: Instant) -> String? {
        guard let table = lock.withLock({ () -> Table? in
            if let cached = cache[identifier] { return cached }
            let loaded = load(identifier)
            cache[identifier] = loaded
            return loaded
        }) else { return nil }
        let offset = Zone(identifier: identifier)?.offset(at: instant) ?? 0
        var best: String?
        for (i, t) in table.transitions.enumerated() where t <= instant.seconds {
            let type = table.types[table.transitionTypes[i]]
            if type.offset == offset { best = type.abbreviation }
        }
        return best ?? table.types.last(where: { $0.offset == offset })?.abbreviation
    }

    private static func load(_ identifier: String) -> Table? {
        guard !identifier.contains(".."), let bytes = readFile("/usr/share/zoneinfo/" + identifier) else { return nil }
        return parse(bytes)
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            result.append(contentsOf: buffer[0..<n])
            if result.count > 1 << 20 { return nil }
        }
        return result
    }

    /// TZif (RFC 8536): a v1 block with 4-byte times, then for v2+ a second header and block with 8-byte times.
    private static func parse(_ b: [UInt8]) -> Table? {
        func u32(_ at: Int) -> Int? {
            guard at + 4 <= b.count else { return nil }
            return Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
        }
        func header(_ at: Int) -> (isut: Int, isstd: Int, leap: Int, time: Int, type: Int, char: Int)? {
            guard at + 44 <= b.count, b[at] == 0x54, b[at + 1] == 0x5A, b[at + 2] == 0x69, b[at + 3] == 0x66,
                  let a = u32(at + 20), let s = u32(at + 24), let l = u32(at + 28),
                  let t = u32(at + 32), let ty = u32(at + 36), let c = u32(at + 40) else { return nil }
            return (a, s, l, t, ty, c)
        }
        guard let h1 = header(0) else { return nil }
        var start = 44
        var timeSize = 4
        var h = h1
        if b[4] >= 0x32 {
            let v1Length = h1.time * 5 + h1.type * 6 + h1.char + h1.leap * 8 + h1.isstd + h1.isut
            guard let h2 = header(44 + v1Length) else { return nil }
            h = h2
            start = 44 + v1Length + 44
            timeSize = 8
        }
        var p = start
        var transitions: [Int64] = []
        for _ in 0..<h.time {
            guard p + timeSize <= b.count else { return nil }
            var v: UInt64 = 0
            for k in 0..<timeSize { v = v << 8 | UInt64(b[p + k]) }
            transitions.append(timeSize == 8 ? Int64(bitPattern: v) : Int64(Int32(bitPattern: UInt32(v))))
            p += timeSize
        }
        guard p + h.time + h.type * 6 + h.char <= b.count else { return nil }
        let transitionTypes = (0..<h.time).map { Int(b[p + $0]) }
        p += h.time
        var raw: [(Int, Int)] = []
        for _ in 0..<h.type {
            guard let off = u32(p) else { return nil }
            raw.append((Int(Int32(bitPattern: UInt32(off))), Int(b[p + 5])))
            p += 6
        }
        let chars = Array(b[p..<(p + h.char)])
        let types = raw.map { (offset, index) -> (offset: Int, abbreviation: String) in
            var end = index
            while end < chars.count, chars[end] != 0 { end += 1 }
            let name = index < chars.count ? String(decoding: chars[index..<end], as: UTF8.self) : ""
            return (offset, name)
        }
        guard transitionTypes.allSatisfy({ $0 < types.count }) else { return nil }
        return Table(transitions: transitions, transitionTypes: transitionTypes, types: types)
    }
}
