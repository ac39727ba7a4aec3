import Foundation
import Testing
@testable import PipecPostgres

@Suite struct PGCopyTests {
    func connect() throws -> PGConnection { try PGConnection(conninfo: try PostgresTestServer.url()) }

    /// A CSV field written as PostgreSQL writes it in `COPY ... TO ... (FORMAT csv)`: quoted only when it holds a
    /// delimiter, quote, CR or LF, or is the empty string (an unquoted empty field is NULL).
    static func csvField(_ value: String?) -> String {
        guard let value else { return "" }
        // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        if value.isEmpty || value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    static let names: [String?] = ["plain", "with, comma", "with \"quotes\"", "two\nlines", "crlf\r\nend", "",
                                   nil, "Zürich 東京 👩‍👩‍👧", "  spaced  ", "\\N backslash"]

    /// Data rows (no header) in PostgreSQL's own CSV output form.
    static func csvBody(rows: Int) -> String {
        (1...rows).map { i -> String in
            let name = names[i % names.count]
            let amount: String? = i % 5 == 0 ? nil : String(format: "%.2f", Double(i) * 1.25)
            return [String(i), csvField(name), csvField(amount)].joined(separator: ",") + "\n"
        }.joined()
    }

    /// Splits data into chunks of `size` bytes, cutting through quoted fields and multi-byte characters.
    static func chunks(of data: [UInt8], size: Int) -> () -> [UInt8]? {
        var offset = 0
        return {
            guard offset < data.count else { return nil }
            let end = min(offset + size, data.count)
            defer { offset = end }
            return Array(data[offset..<end])
        }
    }

    func makeTable(_ connection: PGConnection) throws -> String {
        let table = PostgresTestServer.uniqueName("copy")
        try connection.execute("CREATE TABLE \(table) (id int PRIMARY KEY, name text, amount numeric(12, 2))")
        return table
    }

    @Test func copyInLoadsCSVWithQuotingNewlinesAndNullsAsPsqlSeesIt() throws {
        let connection = try connect()
        let table = try makeTable(connection)
        defer { _ = try? connection.execute("DROP TABLE \(table)") }
        let body = Self.csvBody(rows: 1_000)
        let data = Array(("id,name,amount\n" + body).utf8)
        let count = try connection.copyIn("COPY \(table) (id, name, amount) FROM STDIN WITH (FORMAT csv, HEADER true)",
                                          from: Self.chunks(of: data, size: 7))
        #expect(count == 1_000)
        #expect(try PSQL.run("SELECT count(*), count(name), count(amount), sum(amount) FROM \(table)") == "1000|900|800|500000.00")
        #expect(try PSQL.run("SELECT name = '' FROM \(table) WHERE id = 5") == "t")
        #expect(try PSQL.run("SELECT name IS NULL FROM \(table) WHERE id = 6") == "t")
        let exported = try PSQL.run("\\copy (SELECT id, name, amount FROM \(table) ORDER BY id) TO STDOUT WITH (FORMAT csv)")
        #expect(exported + "\n" == body)
    }

    @Test func copyInStreamsAFileInChunks() throws {
        let connection = try connect()
        let table = try makeTable(connection)
        defer { _ = try? connection.execute("DROP TABLE \(table)") }
        let path = NSTemporaryDirectory() + "pipec-copy-\(UUID().uuidString).csv"
        try Data(Self.csvBody(rows: 5_000).utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let count = try connection.copyIn("COPY \(table) FROM STDIN (FORMAT csv)", fromFileAt: path, chunkSize: 4_096)
        #expect(count == 5_000)
        #expect(try PSQL.run("SELECT count(*), sum(id) FROM \(table)") == "5000|12502500")
    }

    @Test func aThrowingSourceAbortsTheCopyAndLeavesNoRows() throws {
        let connection = try connect()
        let table = try makeTable(connection)
        defer { _ = try? connection.execute("DROP TABLE \(table)") }
        struct SourceBroke: Error {}
        var sent = 0
        let pull = Self.chunks(of: Array(Self.csvBody(rows: 2_000).utf8), size: 1_000)
        #expect(throws: SourceBroke.self) {
            try connection.copyIn("COPY \(table) FROM STDIN (FORMAT csv)") {
                sent += 1
                if sent == 20 { throw SourceBroke() }
                return pull()
            }
        }
        #expect(sent == 20)
        #expect(try PSQL.run("SELECT count(*) FROM \(table)") == "0")
        #expect(try connection.query("SELECT count(*) FROM \(table)")[0, 0] == "0")
    }

    @Test func badDataFailsWithTheServersErrorAndLeavesNoRows() throws {
        let connection = try connect()
        let table = try makeTable(connection)
        defer { _ = try? connection.execute("DROP TABLE \(table)") }
        let data = Array("1,a,1.00\n2,b,2.00\nthree,c,3.00\n4,d,4.00\n".utf8)
        let error = #expect(throws: PGError.self) {
            try connection.copyIn("COPY \(table) FROM STDIN (FORMAT csv)", from: Self.chunks(of: data, size: 5))
        }
        #expect(error?.sqlstate == "22P02")
        #expect(error?.context?.contains("line 3") == true)
        #expect(try PSQL.run("SELECT count(*) FROM \(table)") == "0")
    }

    @Test func copyInRejectsOtherStatements() throws {
        let connection = try connect()
        let notCopy = #expect(throws: PGError.self) { try connection.copyIn("SELECT 1") { nil } }
        #expect(notCopy?.kind == .client)
        let wrongDirection = #expect(throws: PGError.self) {
            try connection.copyIn("COPY (SELECT generate_series(1, 100)) TO STDOUT") { nil }
        }
        #expect(wrongDirection?.kind == .client)
        let missing = #expect(throws: PGError.self) { try connection.copyIn("COPY no_such_table FROM STDIN") { nil } }
        #expect(missing?.sqlstate == "42P01")
        #expect(try connection.query("SELECT 1")[0, 0] == "1")
    }

    @Test func copyOutStreamsWholeRowsInChunksMatchingPsql() throws {
        let connection = try connect()
        let table = try makeTable(connection)
        defer { _ = try? connection.execute("DROP TABLE \(table)") }
        try connection.copyIn("COPY \(table) FROM STDIN (FORMAT csv)", from: Self.chunks(of: Array(Self.csvBody(rows: 3_000).utf8), size: 65_536))
        var received: [UInt8] = []
        var chunkSizes: [Int] = []
        let sql = "COPY (SELECT * FROM \(table) ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)"
        let count = try connection.copyOut(sql, chunkSize: 1_000) { chunk in
            chunkSizes.append(chunk.count)
            received.append(contentsOf: chunk)
        }
        #expect(count == 3_000)
        #expect(chunkSizes.count > 10)
        #expect(chunkSizes.dropLast().allSatisfy { $0 >= 1_000 })
        let viaPsql = try PSQL.run("\\copy (SELECT * FROM \(table) ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)")
        #expect(String(decoding: received, as: UTF8.self) == viaPsql + "\n")
        #expect(String(decoding: received, as: UTF8.self) == "id,name,amount\n" + Self.csvBody(rows: 3_000))
    }

    @Test func aThrowingSinkStopsTheCopyAndTheConnectionRecovers() throws {
        let connection = try connect()
        struct DiskFull: Error {}
        var calls = 0
        #expect(throws: DiskFull.self) {
            try connection.copyOut("COPY (SELECT g, repeat('y', 100) FROM generate_series(1, 50000000) AS g) TO STDOUT",
                                   chunkSize: 65_536) { _ in
                calls += 1
                if calls == 3 { throw DiskFull() }
            }
        }
        #expect(calls == 3)
        #expect(try connection.query("SELECT 'recovered'")[0, 0] == "recovered")
    }
}
