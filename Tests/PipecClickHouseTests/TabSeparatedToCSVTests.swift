import PipecClickHouse
import PipecIO
import Testing

/// The byte-level TSV → CSV rewrite must give exactly what CSVWriter gives for the same rows, however the input
/// is cut into chunks.
@Suite struct TabSeparatedToCSVTests {
    static let rows: [[String?]] = [
        ["id", "name", "note"],
        ["1", "plain", nil],
        ["2", "", "comma, inside"],
        ["3", "say \"hi\"", "line\nbreak"],
        ["4", "tab\there", "back\\slash \\N"],
        ["5", "carriage\rreturn", "ünïcødé"],
        [nil, nil, nil],
    ]

    @Test(arguments: [1, 2, 3, 7, 64, 4096])
    func matchesCSVWriter(chunk: Int) {
        for delimiter in [UInt8(ascii: ","), UInt8(ascii: "\t")] {
            var tsv: [UInt8] = []
            for row in Self.rows { TabSeparated.write(row, into: &tsv) }
            var converter = TabSeparatedToCSV(delimiter: delimiter)
            var out: [UInt8] = []
            for start in stride(from: 0, to: tsv.count, by: chunk) {
                Array(tsv[start..<min(tsv.count, start + chunk)]).withUnsafeBytes { converter.convert($0, into: &out) }
            }
            var format = CSVFormat.csv
            format.delimiter = delimiter
            var writer = CSVWriter(format: format)
            for row in Self.rows { writer.write(row) }
            #expect(out == writer.take(), "delimiter \(delimiter), chunks of \(chunk)")
            #expect(converter.lines == Self.rows.count)
        }
    }
}
