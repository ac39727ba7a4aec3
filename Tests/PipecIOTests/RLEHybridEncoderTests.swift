import Testing
@testable import PipecIO

@Suite struct RLEHybridEncoderTests {
    let ones = RLEHybridEncoder(bitWidth: 1)

    /// An independent decoder of the hybrid format, reading exactly `count` values.
    func decode(_ bytes: [UInt8], bitWidth: Int, count: Int) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        func varint() -> Int {
            var value = 0, shift = 0
            while true {
                let b = bytes[i]; i += 1
                value |= Int(b & 0x7f) << shift
                if b < 0x80 { return value }
                shift += 7
            }
        }
        while out.count < count {
            let header = varint()
            if header & 1 == 0 {
                let value = bytes[i]; i += 1
                out += Array(repeating: value, count: header >> 1)
            } else {
                let values = (header >> 1) * 8
                for v in 0..<values {
                    let bit = v * bitWidth
                    var x = 0
                    for k in 0..<bitWidth where bytes[i + (bit + k) / 8] & (1 << ((bit + k) % 8)) != 0 { x |= 1 << k }
                    out.append(UInt8(x))
                }
                i += (header >> 1) * bitWidth
            }
        }
        #expect(i == bytes.count, "trailing bytes after \(count) values")
        return Array(out.prefix(count))
    }

    @Test func knownBytes() {
        #expect(ones.encode([1, 0, 1]) == [0x03, 0x05])              // one bit-packed group, zero-padded
        #expect(ones.encode(Array(repeating: 1, count: 1000)) == [0xd0, 0x0f, 0x01])   // RLE: varint(2000), 1
        #expect(ones.encode(Array(repeating: 0, count: 8)) == [0x10, 0x00])
        #expect(ones.encode([]) == [])
        // Three literals borrow five values of the following run to fill their group; the rest is an RLE run.
        #expect(ones.encode([0, 1, 0] + Array(repeating: 1, count: 20)) == [0x03, 0xfa, 0x1e, 0x01])
        // 1,0 alternating ×8 = two groups: 0b01010101 each.
        #expect(ones.encode(Array((0..<16).map { UInt8(($0 + 1) % 2) })) == [0x05, 0x55, 0x55])
    }

    @Test func longLiteralStretchesSplitIntoRunsOf63Groups() {
        let values = (0..<1000).map { UInt8($0 % 2) }
        let encoded = ones.encode(values)
        #expect(encoded[0] == 63 << 1 | 1)
        #expect(decode(encoded, bitWidth: 1, count: values.count) == values)
    }

    @Test(arguments: [1, 2, 3, 5, 8])
    func randomLevelsRoundTrip(bitWidth: Int) {
        var random = SeededRandom(seed: UInt64(bitWidth))
        let encoder = RLEHybridEncoder(bitWidth: bitWidth)
        for _ in 0..<200 {
            let count = Int.random(in: 0...300, using: &random)
            var values: [UInt8] = []
            while values.count < count {
                let value = UInt8.random(in: 0...UInt8((1 << bitWidth) - 1), using: &random)
                let run = Bool.random(using: &random) ? Int.random(in: 1...30, using: &random) : 1
                values += Array(repeating: value, count: min(run, count - values.count))
            }
            #expect(decode(encoder.encode(values), bitWidth: bitWidth, count: count) == values)
        }
    }
}
