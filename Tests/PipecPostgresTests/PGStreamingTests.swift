import PipecTestSupport
import Foundation
import Testing
@testable import PipecPostgres

@Suite struct PGStreamingTests {
    func connect() throws -> PGConnection { try PGConnection(conninfo: try PostgresTestServer.url()) }

    @Test func aMillionRowsStreamInConstantMemory() throws {
        let connection = try connect()
        let rows = try connection.rows("SELECT g, repeat('x', 300) AS pad FROM generate_series(1, $1::int) AS g",
                                       parameters: ["1000000"])
        let baseline = residentMiB()
        var peakGrowth = 0.0
        var count = 0
        var sum = 0
        while let row = try rows.next() {
            count += 1
            sum += Int(row[0] ?? "") ?? 0
            if count == 1 {
                #expect(row.columns.names == ["g", "pad"])
                #expect(row.columns.types == [.int4, .text])
                #expect(row["pad"] == .some(String(repeating: "x", count: 300)))
            }
            if count % 50_000 == 0 { peakGrowth = max(peakGrowth, residentMiB() - baseline) }
        }
        #expect(count == 1_000_000)
        #expect(rows.rowCount == 1_000_000)
        #expect(sum == 500_000_500_000)
        // A buffered result (PQexec) would hold over 300 MB of text in libpq alone.
        #expect(peakGrowth < 150, "resident memory grew by \(peakGrowth) MiB while streaming")
        #expect(try rows.next() == nil)
        #expect(try connection.query("SELECT 'next statement'")[0, 0] == "next statement")
    }

    @Test func theConnectionIsBusyWhileAStreamIsOpen() throws {
        let connection = try connect()
        let rows = try connection.rows("SELECT generate_series(1, 3)")
        #expect(try rows.next()?[0] == "1")
        let error = #expect(throws: PGError.self) { try connection.query("SELECT 1") }
        #expect(error?.kind == .client)
        #expect(try rows.next()?[0] == "2")
        #expect(try rows.next()?[0] == "3")
        #expect(try rows.next() == nil)
        #expect(try connection.query("SELECT 1")[0, 0] == "1")
    }

    @Test func droppingAStreamEarlyCancelsItAndFreesTheConnection() throws {
        let connection = try connect()
        do {
            let rows = try connection.rows("SELECT g FROM generate_series(1, 100000000) AS g")
            #expect(try rows.next()?[0] == "1")
        }
        #expect(try connection.query("SELECT 'free'")[0, 0] == "free")
    }

    @Test func aServerErrorMidStreamIsThrown() throws {
        let connection = try connect()
        let rows = try connection.rows("SELECT 10 / (3 - g) FROM generate_series(1, 5) AS g")
        var values: [String?] = []
        let error = #expect(throws: PGError.self) {
            while let row = try rows.next() { values.append(row[0]) }
        }
        #expect(error?.sqlstate == "22012")
        #expect(values == ["5", "10"])
        #expect(try connection.query("SELECT 1")[0, 0] == "1")
    }

    @Test func forEachRowRethrowsTheBodysErrorAndRecovers() throws {
        let connection = try connect()
        struct Enough: Error {}
        var seen = 0
        #expect(throws: Enough.self) {
            try connection.forEachRow("SELECT generate_series(1, 10000000)") { _ in
                seen += 1
                if seen == 3 { throw Enough() }
            }
        }
        #expect(seen == 3)
        let count = try connection.forEachRow("SELECT $1::text UNION ALL SELECT NULL", parameters: ["a"]) { _ in }
        #expect(count == 2)
    }

    @Test func aStatementWithoutRowsStreamsNothing() throws {
        let connection = try connect()
        let rows = try connection.rows("CREATE TEMP TABLE streamed (x int)")
        #expect(try rows.next() == nil)
        #expect(try connection.query("SELECT count(*) FROM streamed")[0, 0] == "0")
    }
}
