import PipecTestSupport
import Foundation
import Testing
@testable import PipecPostgres

@Suite struct PGCancelTests {
    @Test func cancelFromAnotherThreadStopsASleepingQuery() throws {
        let connection = try PGConnection(conninfo: try PostgresTestServer.url())
        let canceller = connection.canceller
        let stop = StopFlag()
        let stopped = DispatchSemaphore(value: 0)
        // Cancel repeatedly: a request that arrives before the query starts is ignored by the server.
        let thread = Thread {
            while !stop.isRaised {
                usleep(100_000)
                try? canceller.cancel()
            }
            stopped.signal()
        }
        let start = Date()
        thread.start()
        let error = #expect(throws: PGError.self) { try connection.execute("SELECT pg_sleep(30)") }
        let elapsed = Date().timeIntervalSince(start)
        stop.raise()
        stopped.wait()
        #expect(error?.sqlstate == "57014")
        #expect(error?.message.contains("canceling statement due to user request") == true)
        #expect(elapsed < 10, "the cancelled query still ran \(elapsed) s")
        #expect(try connection.query("SELECT 'after cancel'")[0, 0] == "after cancel")
    }

    @Test func cancellingWhenNothingRunsIsHarmless() throws {
        let connection = try PGConnection(conninfo: try PostgresTestServer.url())
        try connection.cancel()
        #expect(try connection.query("SELECT 1")[0, 0] == "1")
    }

    @Test func aCancellerOutlivingItsConnectionDoesNothing() throws {
        var connection: PGConnection? = try PGConnection(conninfo: try PostgresTestServer.url())
        let canceller = try #require(connection?.canceller)
        connection = nil
        #expect(throws: Never.self) { try canceller.cancel() }
    }
}
