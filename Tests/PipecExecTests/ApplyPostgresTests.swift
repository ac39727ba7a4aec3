import PipecTestSupport
import Foundation
import Testing

/// `pipec apply` end to end on PostgreSQL 15: each test gets a database of its own (its tables and, where the test
/// says so, the state store), passed to the spec as `PIPEC_TEST_DSN`; results are read back with psql.
@Suite struct ApplyPostgresTests {
    /// A copy of `name` applying to a fresh database.
    private static func fresh(_ name: String) throws -> (ApplyCase, TestDatabase) {
        let db = try TestDatabase()
        return (try ApplyCase(name, environment: ["PIPEC_TEST_DSN": db.url]), db)
    }

    @Test(arguments: StrategyCase.all)
    func strategyRerunsAreExact(_ strategy: StrategyCase) throws {
        let (c, db) = try Self.fresh("strategies")
        try strategy.verify(spec: "postgres.yaml", on: c, extra: ["--state", db.url], read: .postgres(db))
    }

    @Test func quarantineMovesBadRowsAndWarnChecksPass() throws {
        let (c, db) = try Self.fresh("checks")
        try expectSuccess(c.apply("postgres.yaml", ["--ds", "2025-01-01", "--state", db.url]))
        try ChecksExpectations.verify(c, spec: "postgres.yaml", stateArguments: ["--state", db.url], read: .postgres(db),
                                      state: { try db.psql($0) })
    }

    @Test func taskFailingTwiceSucceedsOnTheThirdTry() throws {
        let (c, db) = try Self.fresh("retries")
        let r = try c.apply("postgres.yaml", ["--ds", "2025-01-01", "--state", db.url])
        try expectSuccess(r)
        #expect(r.stdout.contains("division by zero"), "\(r.transcript)")
        #expect(try db.psql("SELECT try_number, status FROM pipec_task_instances WHERE unit = 'flaky' ORDER BY try_number")
                == "1|failed\n2|failed\n3|success")
        #expect(try db.psql("SELECT status FROM pipec_runs") == "success")
        #expect(try db.psql("SELECT last_value FROM flaky_attempts") == "3")
    }

    /// Two checkouts (two lock files, as on two machines) applying the same pipeline at once against one fresh
    /// PostgreSQL state store: the store's tables are created once, and every interval runs exactly once.
    @Test func concurrentAppliesSharingAStateStoreRunEachIntervalOnce() throws {
        let db = try TestDatabase()
        let first = try ApplyCase("catchup"), second = try ApplyCase("catchup")
        let a = try first.start(["apply", first.path("spec.yaml"), "--state", db.url])
        let b = try second.start(["apply", second.path("spec.yaml"), "--state", db.url])
        let ra = try a.wait(), rb = try b.wait()
        try expectSuccess(ra)
        try expectSuccess(rb)
        #expect(try db.psql("SELECT unit, count(*) FROM pipec_task_instances GROUP BY unit ORDER BY unit") == "mark|4\nsummarize|4")
        #expect(try db.psql("SELECT count(DISTINCT apply_id) FROM pipec_task_instances") == "1")
        #expect(try db.psql("SELECT logical_date, status FROM pipec_intervals WHERE unit = 'mark' ORDER BY logical_date")
                == (1...4).map { "2025-01-0\($0)T00:00:00Z|success" }.joined(separator: "\n"))
    }

    @Test func killedApplyRecoversToTheCleanResult() throws {
        try KillScenario(spec: "postgres.yaml") {
            let (c, db) = try Self.fresh("bigload")
            return (c, {
                try ["raw.events", "day.events"].map { table in
                    try db.psql("""
                        SELECT '\(table): ' || count(*) || ' rows, md5 '
                            || coalesce(md5(string_agg(concat_ws(',', id, name, amount, event_time), E'\\n' ORDER BY id)), '-')
                        FROM \(table)
                        """)
                }.joined(separator: "; ")
            })
        }.run()
    }

    @Test func unreachableResourceOfATableExitsThree() throws {
        let port = try closedPort()
        let c = try ApplyCase("unreachable", environment: ["PIPEC_TEST_DSN": "postgresql://postgres:pipec@127.0.0.1:\(port)/postgres"])
        let r = try c.apply("spec.yaml", ["--ds", "2025-01-01"])
        #expect(r.exitCode == 3, "\(r.transcript)")
        #expect(r.stderr.contains("cannot connect to PostgreSQL"), "\(r.transcript)")
        #expect(r.stderr.contains("port \(port) failed: Connection refused"), "\(r.transcript)")
        #expect(!r.output.contains("pipec@"), "the password must not be printed:\n\(r.transcript)")
    }

    @Test func unreachableResourceOfATaskExitsThree() throws {
        let port = try closedPort()
        let c = try ApplyCase("unreachable", environment: ["PIPEC_TEST_DSN": "postgresql://postgres:pipec@127.0.0.1:\(port)/postgres"])
        let r = try c.apply("task_only.yaml", ["--ds", "2025-01-01"])
        #expect(r.exitCode == 3, "\(r.transcript)")
        #expect(r.stdout.contains("ping failed (try 2): cannot connect to PostgreSQL"), "\(r.transcript)")
        #expect(try c.state("SELECT try_number, status FROM pipec_task_instances ORDER BY try_number") == "1|failed\n2|failed")
    }

    @Test func unreachableStateStoreExitsThree() throws {
        let url = "postgresql://postgres:pipec@127.0.0.1:\(try closedPort())/postgres"
        let c = try ApplyCase("unreachable", environment: ["PIPEC_TEST_DSN": url])
        let r = try c.apply("spec.yaml", ["--ds", "2025-01-01", "--state", url])
        #expect(r.exitCode == 3, "\(r.transcript)")
        #expect(r.stderr.contains("error: cannot open the state store"), "\(r.transcript)")
        #expect(r.stderr.contains("Connection refused"), "\(r.transcript)")
    }

    /// A local TCP port nothing listens on: bound to learn a free one, then closed.
    private func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("cannot bind a local port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
