import Foundation
import Testing
@testable import PipecIO

/// Files written by ParquetWriter, read back by pyarrow (an independent implementation): values, types,
/// nulls, row groups, statistics.
@Suite struct ParquetInteropTests {
    static let columns = [
        ParquetColumn(name: "id", type: .int64), ParquetColumn(name: "name", type: .string),
        ParquetColumn(name: "flag", type: .boolean), ParquetColumn(name: "qty", type: .int32),
        ParquetColumn(name: "price", type: .double), ParquetColumn(name: "ratio", type: .float),
        ParquetColumn(name: "day", type: .date), ParquetColumn(name: "at", type: .timestamp),
        ParquetColumn(name: "amount", type: .decimal(precision: 9, scale: 2)),
        ParquetColumn(name: "total", type: .decimal(precision: 18, scale: 4)),
        ParquetColumn(name: "wide", type: .decimal(precision: 38, scale: 10)),
        ParquetColumn(name: "counter", type: .uint64),
    ]

    static let arrowTypes = ["int64", "string", "bool", "int32", "double", "float", "date32[day]", "timestamp[us, tz=UTC]",
                             "decimal128(9, 2)", "decimal128(18, 4)", "decimal128(38, 10)", "uint64"]

    /// (written, what pyarrow should read) for edge cases, then generated rows whose text reads back unchanged.
    static func rows(_ count: Int) -> (written: [[String?]], expected: [[String?]]) {
        let special: [([String?], [String?])] = [
            (["1", "plain", "true", "2147483647", "1.5", "0.25", "2025-01-01", "2025-01-01 10:00:00", "12.34",
              "-99999999999999.9999", "123456789012345678901234567.0123456789", "18446744073709551615"],
             ["1", "plain", "true", "2147483647", "1.5", "0.25", "2025-01-01", "2025-01-01T10:00:00.000000", "12.34",
              "-99999999999999.9999", "123456789012345678901234567.0123456789", "18446744073709551615"]),
            (["2", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil],
             ["2", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil]),
            (["3", "", "f", "-2147483648", "-0.0", "-2.5", "1969-12-31", "2025-01-01T10:00:00.123456Z", "-0.01", "0",
              "-0.0000000001", "0"],
             ["3", "", "false", "-2147483648", "-0.0", "-2.5", "1969-12-31", "2025-01-01T10:00:00.123456", "-0.01", "0.0000",
              "-0.0000000001", "0"]),
            (["4", "ünïcödé 🎉 \"q\",\nline", "1", "0", "1e300", "Infinity", "2024-02-29", "2025-06-30 23:59:59.999999+05:30",
              "9999999.99", "1.5", "-9999999999999999999999999999.9999999999", "9223372036854775808"],
             ["4", "ünïcödé 🎉 \"q\",\nline", "true", "0", "1e+300", "inf", "2024-02-29", "2025-06-30T18:29:59.999999",
              "9999999.99", "1.5000", "-9999999999999999999999999999.9999999999", "9223372036854775808"]),
        ]
        var written = special.map(\.0), expected = special.map(\.1)
        for i in (special.count + 1)...max(count, special.count + 1) where written.count < count {
            let day = String(format: "2024-%02d-%02d", i % 12 + 1, i % 28 + 1)
            let time = String(format: "2025-03-%02d %02d:%02d:%02d", i % 28 + 1, i % 24, i % 60, i * 7 % 60)
            let amount = String(format: "%@%d.%02d", i % 2 == 1 ? "-" : "", i, i % 100)
            let row: [String?] = [
                String(i), i % 10 == 0 ? nil : "name-\(i)", i % 3 == 0 ? nil : (i % 2 == 0 ? "true" : "false"),
                i % 7 == 0 ? nil : String(i * 13 - 5000), i % 11 == 0 ? nil : "\(i).25", "\(i % 50).5",
                i % 5 == 0 ? nil : day, time, i % 4 == 0 ? nil : amount,
                "\(i * 1_000_003).\(String(format: "%04d", i % 10_000))",
                i % 6 == 0 ? nil : "\(i)\(String(repeating: "9", count: 20)).0000000001", String(UInt64.max - UInt64(i)),
            ]
            written.append(row)
            var readBack = row
            readBack[7] = time.replacingOccurrences(of: " ", with: "T") + ".000000"
            expected.append(readBack)
        }
        return (written, expected)
    }

    static func write(_ rows: [[String?]], columns: [ParquetColumn], options: ParquetWriterOptions, to path: String) throws -> ParquetWriter {
        let sink = try LocalFileStore(root: (path as NSString).deletingLastPathComponent)
            .writer(for: (path as NSString).lastPathComponent, contentType: "application/vnd.apache.parquet")
        let writer = try ParquetWriter(sink, columns: columns, options: options)
        for row in rows { try writer.write(row) }
        try writer.finish()
        return writer
    }

    @Test(arguments: [
        ParquetWriterOptions(compression: .uncompressed, rowGroupRows: 1000, pageRows: 128),
        ParquetWriterOptions(compression: .gzip, rowGroupRows: 1000, pageRows: 128),
        ParquetWriterOptions(compression: .gzip, rowGroupBytes: 40_000, pageBytes: 4096),
    ])
    func pyarrowReadsWhatWasWritten(options: ParquetWriterOptions) throws {
        let folder = try ScratchFolder()
        let path = folder.file("typed.parquet")
        let (written, expected) = Self.rows(2500)
        let writer = try Self.write(written, columns: Self.columns, options: options, to: path)
        let report = try PyArrowReader.read(path)

        #expect(report.numRows == 2500)
        #expect(report.numRowGroups == writer.rowGroupCount)
        if options.rowGroupRows == 1000 {
            #expect(report.numRowGroups == 3)
            #expect(report.rowGroups.map(\.numRows) == [1000, 1000, 500])
        } else {
            #expect(report.numRowGroups > 3)   // cut by size
        }
        #expect(report.createdBy == "pipec")
        #expect(report.schema.map { $0[0] } == Self.columns.map(\.name))
        #expect(report.schema.map { $0[1] } == Self.arrowTypes)
        let nulls = Self.columns.indices.map { c in expected.filter { $0[c] == nil }.count }
        #expect(report.nullCounts == nulls)
        #expect(report.rows.count == expected.count)
        for (i, (got, want)) in zip(report.rows, expected).enumerated() where got != want {
            Issue.record("row \(i + 1): pyarrow read \(got), expected \(want)")
            break
        }

        let codec = options.compression == .gzip ? "GZIP" : "UNCOMPRESSED"
        for group in report.rowGroups {
            for chunk in group.columns {
                #expect(chunk.compression == codec)
                #expect(chunk.numValues == group.numRows)   // what duckdb checks
            }
        }
        for c in Self.columns.indices {
            #expect(report.rowGroups.map { $0.columns[c].nullCount ?? -1 }.reduce(0, +) == nulls[c], "\(Self.columns[c].name)")
        }
        let first = report.rowGroups[0].columns
        #expect(first[0].min == "1")
        #expect(first[0].max == String(report.rowGroups[0].numRows))
        #expect(first[1].min == "")                              // strings compare as unsigned bytes:
        #expect(first[1].max == "ünïcödé 🎉 \"q\",\nline")       // 0xc3 sorts after ASCII
        #expect(first[2].min == "false" && first[2].max == "true")
        #expect(first[3].min == "-2147483648" && first[3].max == "2147483647")
        #expect(first[6].min == "1969-12-31")
        #expect(first[7].max == "2025-06-30T18:29:59.999999")
        let amounts = expected.prefix(report.rowGroups[0].numRows).compactMap { $0[8] }
            .sorted { Decimal(string: $0)! < Decimal(string: $1)! }
        #expect(first[8].min == amounts.first && first[8].max == amounts.last)
        #expect(first[11].min == "0" && first[11].max == "18446744073709551615")   // unsigned order
        #expect(first[10].min == nil)                               // none for FIXED_LEN_BYTE_ARRAY decimals
        #expect(first[4].min == nil && first[5].min == nil)        // no bounds for floating point
    }

    @Test func emptyAndWideFiles() throws {
        let folder = try ScratchFolder()
        // No rows: no row groups, only the schema.
        let empty = folder.file("empty.parquet")
        _ = try Self.write([], columns: Self.columns, options: ParquetWriterOptions(), to: empty)
        let report = try PyArrowReader.read(empty)
        #expect(report.numRows == 0 && report.numRowGroups == 0 && report.rows.isEmpty)
        #expect(report.schema.map { $0[1] } == Self.arrowTypes)

        // 20 columns: the schema, column and column-order lists need Thrift's long list header.
        let wideColumns = (0..<20).map { ParquetColumn(name: "c\($0)", type: $0 % 2 == 0 ? .int64 : .string) }
        let wideRows: [[String?]] = (0..<50).map { r in (0..<20).map { c in (r + c) % 9 == 0 ? nil : String(r * c) } }
        let wide = folder.file("wide.parquet")
        _ = try Self.write(wideRows, columns: wideColumns, options: ParquetWriterOptions(compression: .gzip), to: wide)
        let wideReport = try PyArrowReader.read(wide)
        #expect(wideReport.schema.count == 20)
        #expect(wideReport.rows == wideRows)
        #expect(wideReport.numRowGroups == 1)
    }
}
