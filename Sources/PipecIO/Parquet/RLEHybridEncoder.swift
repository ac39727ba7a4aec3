/// Parquet's RLE / bit-packed hybrid encoding, used here for definition levels (bit width 1: 1 = value
/// present, 0 = NULL).
///
/// Runs of 8 or more equal values become RLE runs (`varint(count << 1)` + the value in whole bytes); everything
/// else is bit-packed, LSB first, in groups of 8 (`varint(groups << 1 | 1)` + `groups × bitWidth` bytes). A
/// bit-packed run covers whole groups, so only the last run of the data may be padded with zeros; readers stop
/// at the page's value count.
struct RLEHybridEncoder {
    let bitWidth: Int
    /// Groups per bit-packed run, so its header always fits in one byte (as parquet-cpp does).
    private static let maxGroupsPerRun = 63

    init(bitWidth: Int) {
        precondition((1...8).contains(bitWidth), "levels wider than 8 bits are not supported")
        self.bitWidth = bitWidth
    }

    /// The encoded runs, without the 4-byte length prefix that v1 data pages put before them.
    func encode(_ values: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var literalStart = 0   // values[literalStart..<i] wait to be bit-packed
        var i = 0
        while i < values.count {
            var end = i + 1
            while end < values.count && values[end] == values[i] { end += 1 }
            // Borrow from the run to complete the pending literals' last group, so they can be flushed.
            let pad = (8 - (i - literalStart) % 8) % 8
            if end - i - pad >= 8 {
                if i + pad > literalStart { bitPack(values[literalStart..<(i + pad)], into: &out) }
                rle(value: values[i], count: end - i - pad, into: &out)
                literalStart = end
            }
            i = end
        }
        if literalStart < values.count { bitPack(values[literalStart...], into: &out) }
        return out
    }

    private func rle(value: UInt8, count: Int, into out: inout [UInt8]) {
        varint(UInt64(count) << 1, into: &out)
        out.append(value)   // ceil(bitWidth / 8) = 1 byte for widths up to 8
    }

    private func bitPack(_ values: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var start = values.startIndex
        while start < values.endIndex {
            let groups = min((values.endIndex - start + 7) / 8, Self.maxGroupsPerRun)
            let end = min(start + groups * 8, values.endIndex)
            varint(UInt64(groups) << 1 | 1, into: &out)
            var bits: UInt64 = 0
            var filled = 0
            for value in values[start..<end] {
                bits |= UInt64(value) << filled
                filled += bitWidth
                while filled >= 8 {
                    out.append(UInt8(truncatingIfNeeded: bits))
                    bits >>= 8
                    filled -= 8
                }
            }
            // Zero-pad the last group to a whole `bitWidth` bytes.
            let padded = (end - start + 7) / 8 * 8 - (end - start)
            filled += padded * bitWidth
            while filled > 0 {
                out.append(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
                filled -= 8
            }
            start = end
        }
    }

    private func varint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}
