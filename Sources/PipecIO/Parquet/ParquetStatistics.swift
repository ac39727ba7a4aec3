/// A column chunk's statistics: the null count always, and min/max where comparing is cheap and unambiguous.
///
/// Bounds follow each type's defined sort order (parquet.thrift `TypeDefinedOrder`): signed for integers, dates,
/// timestamps and INT32/INT64 decimals, unsigned for `uint64`, unsigned bytewise for strings. FLOAT/DOUBLE (NaN
/// and ±0 rules) and FIXED_LEN_BYTE_ARRAY decimals get no bounds.
struct ParquetStatistics {
    enum Bounds {
        case none
        case signed(min: Int64, max: Int64)
        case unsigned(min: UInt64, max: UInt64)
        case boolean(min: Bool, max: Bool)
        case bytes(min: [UInt8], max: [UInt8])
    }

    var nullCount: Int64 = 0
    private(set) var bounds = Bounds.none

    /// Bounds longer than this are left out of the footer (they would bloat it for little pruning value).
    static let maxBoundBytes = 4096

    mutating func observe(signed value: Int64) {
        switch bounds {
        case .signed(let lo, let hi): if value < lo || value > hi { bounds = .signed(min: Swift.min(lo, value), max: Swift.max(hi, value)) }
        default: bounds = .signed(min: value, max: value)
        }
    }

    mutating func observe(unsigned value: UInt64) {
        switch bounds {
        case .unsigned(let lo, let hi): if value < lo || value > hi { bounds = .unsigned(min: Swift.min(lo, value), max: Swift.max(hi, value)) }
        default: bounds = .unsigned(min: value, max: value)
        }
    }

    mutating func observe(boolean value: Bool) {
        switch bounds {
        case .boolean(let lo, let hi): bounds = .boolean(min: lo && value, max: hi || value)
        default: bounds = .boolean(min: value, max: value)
        }
    }

    mutating func observe(bytes value: String.UTF8View) {
        switch bounds {
        case .bytes(let lo, let hi):
            // Copies only when a bound moves, which is rare unless the data arrives sorted.
            if value.lexicographicallyPrecedes(lo) {
                bounds = .bytes(min: Array(value), max: hi)
            } else if hi.lexicographicallyPrecedes(value) {
                bounds = .bytes(min: lo, max: Array(value))
            }
        default:
            bounds = .bytes(min: Array(value), max: Array(value))
        }
    }

    /// min_value and max_value PLAIN-encoded for `physical` (BYTE_ARRAY without its length prefix), or nil.
    func encodedBounds(_ physical: ParquetPhysicalType.Physical) -> (min: [UInt8], max: [UInt8])? {
        switch bounds {
        case .none:
            return nil
        case .signed(let lo, let hi):
            return physical == .int32 ? (littleEndian(Int32(truncatingIfNeeded: lo)), littleEndian(Int32(truncatingIfNeeded: hi)))
                                      : (littleEndian(lo), littleEndian(hi))
        case .unsigned(let lo, let hi):
            return (littleEndian(lo), littleEndian(hi))
        case .boolean(let lo, let hi):
            return ([lo ? 1 : 0], [hi ? 1 : 0])
        case .bytes(let lo, let hi):
            return lo.count <= Self.maxBoundBytes && hi.count <= Self.maxBoundBytes ? (lo, hi) : nil
        }
    }

    private func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
