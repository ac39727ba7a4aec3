import Testing
@testable import PipecIO

@Suite struct ThriftCompactWriterTests {
    func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
    }

    @Test func zigzagVarints() {
        let cases: [(Int64, String)] = [(0, "00"), (-1, "01"), (1, "02"), (150, "ac 02"), (1 << 40, "80 80 80 80 80 40"),
                                        (Int64.min, "ff ff ff ff ff ff ff ff ff 01")]
        for (value, expected) in cases {
            let bytes = ThriftCompactWriter.encode { $0.field(1, i64: value) }
            #expect(hex(bytes) == "16 " + expected + " 00", "i64 \(value)")
        }
        #expect(hex(ThriftCompactWriter.encode { $0.field(1, i32: 29) }) == "15 3a 00")
    }

    @Test func pageHeaderMatchesTheKnownBytes() {
        // parquet.md §2: PageHeader{DATA_PAGE, uncompressed 29, compressed 25, {3 values, PLAIN, RLE, RLE}}.
        let bytes = ParquetPageHeader(valueCount: 3, uncompressedSize: 29, compressedSize: 25).encoded()
        #expect(hex(bytes) == "15 00 15 3a 15 32 2c 15 06 15 00 15 06 15 06 00 00")
    }

    @Test func schemaElementAndNestedStructsRestartFieldIDs() {
        let element = ThriftCompactWriter.encode { w in
            w.field(1, i32: 2)   // INT64
            w.field(3, i32: 0)   // REQUIRED
            w.field(4, string: "id")
        }
        #expect(hex(element) == "15 04 25 00 18 02 69 64 00")

        // Timestamp logical type: union field 8 → struct{1: true, 2: TimeUnit{2: MICROS{}}}.
        let timestamp = ParquetPhysicalType(.timestamp).logicalType!
        #expect(hex(ThriftCompactWriter.encode(timestamp)) == "8c 11 1c 2c 00 00 00 00")
        let decimal = ParquetPhysicalType(.decimal(precision: 9, scale: 2)).logicalType!
        #expect(hex(ThriftCompactWriter.encode(decimal)) == "5c 15 04 15 12 00 00")
        let string = ParquetPhysicalType(.string).logicalType!
        #expect(hex(ThriftCompactWriter.encode(string)) == "1c 00 00")
    }

    @Test func longFieldDeltasAndBooleans() {
        let bytes = ThriftCompactWriter.encode { w in
            w.field(3, bool: true)
            w.field(2, bool: false)     // going backwards: long form
            w.field(20, i16: -3)        // delta 18 > 15: long form
            w.field(21, binary: [0xab])
        }
        #expect(hex(bytes) == "31 02 04 04 28 05 18 01 ab 00")
    }

    @Test func listsShortAndLongHeaders() {
        let short = ThriftCompactWriter.encode { $0.field(1, list: [0, 3] as [Int32], of: .i32) { $0.element(i32: $1) } }
        #expect(hex(short) == "19 25 00 06 00")
        let twenty = ThriftCompactWriter.encode { $0.field(1, list: Array(repeating: Int32(1), count: 20), of: .i32) { $0.element(i32: $1) } }
        #expect(hex(Array(twenty.prefix(3))) == "19 f5 14")
        #expect(twenty.count == 3 + 20 + 1)
        // Struct elements: each a full struct ending in a stop byte, ids restarting inside.
        let structs = ThriftCompactWriter.encode { w in
            w.field(4, list: ["a", "b"], of: .struct) { w, name in w.element(struct: { $0.field(4, string: name) }) }
            w.field(5, i32: 1)
        }
        #expect(hex(structs) == "49 2c 48 01 61 00 48 01 62 00 15 02 00")
    }
}
