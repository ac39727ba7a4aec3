import Foundation
@testable import PipecClickHouse
import Testing

@Suite struct TabSeparatedTests {
    @Test func rowsRoundTripThroughTheEscapes() {
        let rows: [[String?]] = [
            ["plain", nil, ""],
            ["tab\there", "new\nline", "back\\slash"],
            ["\\N", "carriage\rreturn", "nul\u{0}byte"],
        ]
        var bytes: [UInt8] = []
        for row in rows { TabSeparated.write(row, into: &bytes) }
        var splitter = LineSplitter()
        var parsed: [[String?]] = []
        // Fed in 3-byte pieces, so lines and escapes straddle chunk boundaries.
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let piece = Array(bytes[start..<min(bytes.count, start + 3)])
            piece.withUnsafeBytes { splitter.feed($0) { parsed.append(TabSeparated.fields($0)) } }
        }
        #expect(parsed == rows)
        #expect(splitter.remainder.isEmpty)
    }

    @Test func errorsOfOldAndNewServersAreParsed() throws {
        let old = try #require(ClickHouseError.parse(
            "Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position 1 (line 1, col 1): SELEC 1, e.what() = DB::Exception\n",
            httpStatus: 400))
        #expect(old.code == 62)
        #expect(old.message == "Syntax error: failed at position 1 (line 1, col 1): SELEC 1")
        let new = try #require(ClickHouseError.parse(
            "Code: 60. DB::Exception: Table default.nope does not exist. (UNKNOWN_TABLE) (version 26.9.2.1)\n", httpStatus: 404))
        #expect(new.code == 60)
        #expect(new.message == "Table default.nope does not exist.")
        #expect(ClickHouseError.parse("1\tCode: is not an error", httpStatus: 200) == nil)
    }

    @Test func identifiersAreQuoted() {
        #expect(ClickHouseClient.quoteTable("dwh.events") == "`dwh`.`events`")
        #expect(ClickHouseClient.quoteIdentifier("we`ird") == "`we\\`ird`")
    }
}
