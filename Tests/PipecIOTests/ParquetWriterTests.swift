import Foundation
import Testing
@testable import PipecIO

@Suite struct ParquetWriterTests {
    @Test func aValueOfTheWrongTypeNamesColumnRowAndValue() throws {
        let sink = SharedSink()
        let writer = try ParquetWriter(sink, columns: [ParquetColumn(name: "id", type: .int64), ParquetColumn(name: "price", type: .decimal(precision: 9, scale: 2))])
        try writer.write(["1", "2.50"])
        try writer.write(["2", nil])
        #expect(throws: ParquetError.invalidValue(column: "price", row: 3, value: "3.999",
                                                  reason: "has more than 2 digit(s) after the point for decimal(9,2)")) {
            try writer.write(["3", "3.999"])
        }
        // The writer is now unusable: some columns hold row 3 and others do not.
        #expect(throws: ParquetError.self) { try writer.write(["4", "1"]) }
        #expect(throws: ParquetError.self) { try writer.finish() }
        #expect(!sink.finished)

        let message = ParquetError.invalidValue(column: "qty", row: 17, value: "12,5", reason: "is not an int32 (...)").description
        #expect(message == "column 'qty', row 17: '12,5' is not an int32 (...)")
    }

    @Test(arguments: [
        (ParquetColumnType.int32, "2147483648"), (.int64, "1.0"), (.uint64, "-1"), (.double, "abc"), (.float, ""),
        (.boolean, "maybe"), (.date, "2025-02-30"), (.timestamp, "yesterday"), (.decimal(precision: 4, scale: 2), "100.00"),
        (.decimal(precision: 20, scale: 0), "x"),
    ])
    func unparsableValuesAreRejected(type: ParquetColumnType, value: String) throws {
        let writer = try ParquetWriter(SharedSink(), columns: [ParquetColumn(name: "c", type: type)])
        do {
            try writer.write([value])
            Issue.record("\(type) accepted '\(value)'")
        } catch let ParquetError.invalidValue(column, row, text, _) {
            #expect(column == "c" && row == 1 && text == value)
        }
    }

    @Test func floatingPointSpellingsOfTheEngines() throws {
        let writer = try ParquetWriter(SharedSink(), columns: [ParquetColumn(name: "d", type: .double), ParquetColumn(name: "f", type: .float)])
        // PostgreSQL prints NaN/Infinity/-Infinity, ClickHouse nan/inf/-inf.
        for text in ["NaN", "Infinity", "-Infinity", "nan", "inf", "-inf", "1e-320", "-0", "1.7976931348623157e308"] {
            try writer.write([text, text])
        }
        #expect(writer.rowCount == 9)
    }

    @Test func rowWidthAndSchemaErrors() throws {
        let writer = try ParquetWriter(SharedSink(), columns: [ParquetColumn(name: "a", type: .string)])
        #expect(throws: ParquetError.rowWidth(row: 1, expected: 1, actual: 2)) { try writer.write(["x", "y"]) }
        try writer.write(["still fine"])   // a width mismatch is caught before anything is buffered

        #expect(throws: ParquetError.self) { try ParquetWriter(SharedSink(), columns: []) }
        #expect(throws: ParquetError.self) {
            try ParquetWriter(SharedSink(), columns: [ParquetColumn(name: "a", type: .int32), ParquetColumn(name: "a", type: .int64)])
        }
        #expect(throws: ParquetError.self) { try ParquetWriter(SharedSink(), columns: [ParquetColumn(name: "d", type: .decimal(precision: 39, scale: 0))]) }
        #expect(throws: ParquetError.self) { try ParquetWriter(SharedSink(), columns: [ParquetColumn(name: "d", type: .decimal(precision: 5, scale: 6))]) }
        #expect(throws: ParquetError.self) {
            try ParquetWriter(SharedSink(), columns: [ParquetColumn(name: "a", type: .string)], options: ParquetWriterOptions(pageRows: 0))
        }
    }

    @Test func fileFrameAndStreaming() throws {
        let sink = SharedSink()
        let writer = try ParquetWriter(sink, columns: [ParquetColumn(name: "n", type: .int64), ParquetColumn(name: "s", type: .string)],
                                       options: ParquetWriterOptions(rowGroupBytes: 64 << 10))
        for i in 0..<20_000 { try writer.write([String(i), "row number \(i)"]) }
        // Row groups went out while rows were still coming: memory is bounded by one group.
        #expect(writer.rowGroupCount > 3)
        #expect(sink.bytes.count > 3 * (64 << 10))
        try writer.finish()
        #expect(sink.finished)
        let bytes = sink.bytes
        #expect(Array(bytes.prefix(4)) == Array("PAR1".utf8))
        #expect(Array(bytes.suffix(4)) == Array("PAR1".utf8))
        let footerLength = bytes[(bytes.count - 8)..<(bytes.count - 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(footerLength > 0 && footerLength < bytes.count - 12)

        let empty = SharedSink()
        try ParquetWriter(empty, columns: [ParquetColumn(name: "n", type: .int64)]).finish()
        #expect(Array(empty.bytes.prefix(4)) == Array("PAR1".utf8) && Array(empty.bytes.suffix(4)) == Array("PAR1".utf8))
    }
}
