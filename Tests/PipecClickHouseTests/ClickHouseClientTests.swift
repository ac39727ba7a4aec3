import Foundation
import PipecClickHouse
import PipecHTTP
import PipecTestSupport
import Testing

/// The client against a real ClickHouse 18.16 (the Debian server): statements, streamed inserts and selects,
/// errors by `Code:`, and a cancelled query killed on the server.
@Suite(.serialized) struct ClickHouseClientTests {
    let client: ClickHouseClient
    let database = "pipec_client_" + String(UUID().uuidString.prefix(8)).lowercased()

    init() throws {
        client = try ClickHouseClient(ClickHouseConfig(url: try TestServices.clickHouseURL(), user: "default", maxExecutionSeconds: 120))
    }

    @Test func streamedInsertAndSelectKeepEveryRow() throws {
        try client.execute("CREATE DATABASE IF NOT EXISTS \(database)")
        defer { _ = try? client.execute("DROP DATABASE IF EXISTS \(database)") }
        try client.execute("CREATE TABLE \(database).t (id UInt64, name String, note Nullable(String)) ENGINE = MergeTree ORDER BY id")
        let total = 200_000
        var sent = 0
        try client.insert(into: "\(database).t", columns: ["id", "name", "note"], format: "TabSeparated") {
            guard sent < total else { return nil }
            var chunk: [UInt8] = []
            for i in sent..<min(total, sent + 30_000) {
                TabSeparated.write([String(i), "name\t\(i)\nline", i % 7 == 0 ? nil : "n\\\(i)"], into: &chunk)
            }
            sent = min(total, sent + 30_000)
            return chunk
        }
        var rows = 0
        var idSum = 0
        var nulls = 0
        var batches = 0
        let columns = try client.select("SELECT id, name, note FROM \(database).t ORDER BY id", batchRows: 50_000) { _, batch in
            batches += 1
            for row in batch {
                let id = Int(row[0]!)!
                #expect(row[1] == "name\t\(id)\nline")
                if row[2] == nil { nulls += 1 } else { #expect(row[2] == "n\\\(id)") }
                idSum += id
                rows += 1
            }
        }
        #expect(columns.names == ["id", "name", "note"])
        #expect(columns.types == ["UInt64", "String", "Nullable(String)"])
        #expect(rows == total)
        #expect(idSum == total * (total - 1) / 2)
        #expect(nulls == (total + 6) / 7)
        #expect(batches >= 4, "rows arrive in batches, not all at once")
    }

    @Test func errorsCarryTheServersCode() throws {
        #expect { try client.execute("SELEC 1") } throws: { ($0 as? ClickHouseError)?.code == 62 }
        #expect { try client.query("SELECT * FROM \(database).no_such_table".replacingOccurrences(of: database, with: "default")) } throws: { ($0 as? ClickHouseError)?.code == 60 }
    }

    @Test func anErrorAfterTheFirstRowsIsNotLost() throws {
        var seen = 0
        #expect {
            try client.select("SELECT throwIf(number = 3000000) FROM system.numbers LIMIT 4000000 SETTINGS max_block_size = 1000", batchRows: 1000) { _, batch in
                seen += batch.count
            }
        } throws: { ($0 as? ClickHouseError)?.code == 395 }
        #expect(seen > 0, "rows streamed before the error")
    }

    @Test func aCancelledQueryIsKilledOnTheServer() throws {
        let queryID = ClickHouseClient.newQueryID()
        let start = Date()
        #expect(throws: HTTPError.self) {
            try client.execute("SELECT sum(number) FROM numbers(100000000000)", queryID: queryID, shouldCancel: { Date().timeIntervalSince(start) > 0.5 })
        }
        #expect(Date().timeIntervalSince(start) < 10)
        var running = 1
        for _ in 0..<50 where running > 0 {
            let (_, rows) = try client.query("SELECT count() FROM system.processes WHERE query_id = '\(queryID)'")
            running = Int(rows.first?.first.flatMap { $0 } ?? "1") ?? 1
            if running > 0 { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(running == 0, "KILL QUERY stopped it")
    }
}
