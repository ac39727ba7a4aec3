import PipecTestSupport
import Foundation
import Testing
@testable import PipecSQLite

@Suite struct SQLiteStreamingTests {
    @Test func aMillionRowsStreamInConstantMemory() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let rows = try db.rows("""
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?1)
            SELECT x, printf('%0300d', x) AS padded FROM c
            """, [.integer(1_000_000)])
        #expect(rows.columns.names == ["x", "padded"])
        let baseline = residentMiB()
        var peakGrowth = 0.0
        var count = 0
        var sum: Int64 = 0
        while let row = try rows.next() {
            count += 1
            sum += row[0].int64 ?? 0
            if count % 50_000 == 0 { peakGrowth = max(peakGrowth, residentMiB() - baseline) }
        }
        #expect(count == 1_000_000)
        #expect(sum == 500_000_500_000)
        // Holding the rows would take over 300 MB of text alone.
        #expect(peakGrowth < 150, "resident memory grew by \(peakGrowth) MiB while streaming")
        #expect(try rows.next() == nil)
    }

    @Test func forEachRowCountsAndStopsOnError() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        var seen: [Int64] = []
        let count = try db.forEachRow("SELECT value FROM json_each('[3,1,2]') ORDER BY value") { seen.append($0[0].int64 ?? -1) }
        #expect(count == 3)
        #expect(seen == [1, 2, 3])
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try db.forEachRow("SELECT 1 UNION ALL SELECT 2") { _ in throw Stop() }
        }
    }

    @Test func interruptFromAnotherThreadStopsARunningStatement() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let interrupter = db.interrupter
        let stop = StopFlag()
        let stopped = DispatchSemaphore(value: 0)
        // Interrupt repeatedly: a call that lands before the statement starts has no effect.
        let thread = Thread {
            while !stop.isRaised {
                interrupter.interrupt()
                usleep(20_000)
            }
            stopped.signal()
        }
        thread.start()
        let error = #expect(throws: SQLiteError.self) {
            // Unbounded: only an interrupt ends it.
            try db.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
        }
        stop.raise()
        stopped.wait()
        #expect(error?.isInterrupted == true)
        #expect(error?.code == SQLiteError.interrupted)
        // The connection stays usable.
        #expect(try db.query("SELECT 1")[0][0] == .integer(1))
    }

    @Test func anInterrupterOutlivingItsDatabaseTouchesNoOtherConnection() throws {
        var first: SQLiteDatabase? = try SQLiteDatabase(path: ":memory:")
        let stale = try #require(first?.interrupter)
        first = nil
        // A new connection may reuse the freed handle's address; the stale interrupter must not reach it.
        let second = try SQLiteDatabase(path: ":memory:")
        let stop = StopFlag()
        let stopped = DispatchSemaphore(value: 0)
        let thread = Thread {
            while !stop.isRaised { stale.interrupt() }
            stopped.signal()
        }
        thread.start()
        let result = Result {
            try second.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c")
        }
        stop.raise()
        stopped.wait()
        #expect(try result.get()[0][0] == .integer(300_000))
    }
}
