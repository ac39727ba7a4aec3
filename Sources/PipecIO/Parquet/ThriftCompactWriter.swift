/// The write half of Thrift's compact protocol: just what Parquet's metadata (page headers, the footer) needs.
///
/// Integers are zigzag varints, field headers carry the id as a delta from the previous field of the same
/// struct, and a bool field's value is its type nibble. Each struct remembers its own last field id, so
/// nested structs are written through ``field(_:struct:)`` and list elements through ``element(struct:)``,
/// which save and restore it.
struct ThriftCompactWriter {
    /// Compact-protocol type codes, as they appear in field and list headers.
    enum TypeCode: UInt8 {
        case boolTrue = 1, boolFalse = 2, i8 = 3, i16 = 4, i32 = 5, i64 = 6, double = 7, binary = 8
        case list = 9, set = 10, map = 11, `struct` = 12
    }

    private(set) var bytes: [UInt8] = []
    private var lastFieldID: Int16 = 0

    /// A top-level struct (a page header, the footer): its fields, then the stop byte.
    static func encode(_ body: (inout ThriftCompactWriter) -> Void) -> [UInt8] {
        var writer = ThriftCompactWriter()
        body(&writer)
        writer.bytes.append(0)
        return writer.bytes
    }

    // MARK: Fields

    mutating func field(_ id: Int16, i8 value: Int8) {
        header(id, .i8)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func field(_ id: Int16, i16 value: Int16) {
        header(id, .i16)
        varint(zigzag(Int64(value)))
    }

    mutating func field(_ id: Int16, i32 value: Int32) {
        header(id, .i32)
        varint(zigzag(Int64(value)))
    }

    mutating func field(_ id: Int16, i64 value: Int64) {
        header(id, .i64)
        varint(zigzag(value))
    }

    mutating func field(_ id: Int16, bool value: Bool) {
        header(id, value ? .boolTrue : .boolFalse)
    }

    mutating func field(_ id: Int16, binary value: [UInt8]) {
        header(id, .binary)
        element(binary: value)
    }

    mutating func field(_ id: Int16, string value: String) {
        field(id, binary: Array(value.utf8))
    }

    /// A nested struct (or a union: a struct with exactly one field set).
    mutating func field(_ id: Int16, struct body: (inout ThriftCompactWriter) -> Void) {
        header(id, .struct)
        element(struct: body)
    }

    /// A list: the header, then `write` for each element (elements have no field headers).
    mutating func field<Element>(_ id: Int16, list elements: [Element], of type: TypeCode,
                                 _ write: (inout ThriftCompactWriter, Element) -> Void) {
        header(id, .list)
        if elements.count < 15 {
            bytes.append(UInt8(elements.count) << 4 | type.rawValue)
        } else {
            bytes.append(0xf0 | type.rawValue)
            varint(UInt64(elements.count))
        }
        for element in elements { write(&self, element) }
    }

    // MARK: List elements

    mutating func element(i32 value: Int32) { varint(zigzag(Int64(value))) }

    mutating func element(binary value: [UInt8]) {
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func element(string value: String) { element(binary: Array(value.utf8)) }

    /// A struct's fields then the stop byte; field ids inside start again from 0.
    mutating func element(struct body: (inout ThriftCompactWriter) -> Void) {
        let outer = lastFieldID
        lastFieldID = 0
        body(&self)
        bytes.append(0)
        lastFieldID = outer
    }

    // MARK: Encoding

    private mutating func header(_ id: Int16, _ type: TypeCode) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(zigzag(Int64(id)))
        }
        lastFieldID = id
    }

    /// Unsigned LEB128: 7 bits per byte, low group first, high bit set on all but the last byte.
    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Maps small magnitudes of either sign to small unsigned numbers: 0, -1, 1, -2... → 0, 1, 2, 3...
    private func zigzag(_ n: Int64) -> UInt64 {
        UInt64(bitPattern: (n << 1) ^ (n >> 63))
    }
}
