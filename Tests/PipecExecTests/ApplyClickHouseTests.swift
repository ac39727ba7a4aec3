import Foundation
import PipecTestSupport
import Testing

/// `pipec apply` end to end on ClickHouse 18.16 (Debian's server) over HTTP: every lowered strategy, checked with
/// curl against the server. Serialized: the strategy tables share the server's `bronze`/`copy`/... databases.
@Suite(.serialized) struct ApplyClickHouseTests {
    static let replacing: Set<String> = ["dim.users_latest", "dim.users_history"]

    @Test(arguments: StrategyCase.all)
    func strategyRerunsAreExact(_ strategy: StrategyCase) throws {
        let url = try TestServices.clickHouseURL()
        try ClickHouseReader.dropDatabases(url, ["bronze", "copy", "agg", "dim"])
        let c = try ApplyCase("strategies", environment: ["PIPEC_TEST_CLICKHOUSE_URL": url])
        try strategy.verify(spec: "clickhouse.yaml", on: c, read: .clickhouse(url, final: Self.replacing), dump: strategy.clickhouseDump)
    }

    /// A CSV export of a ClickHouse query is rewritten from ClickHouse's own text output (no rows built) and
    /// gzipped; read back with gunzip, it holds the day's events.
    @Test func csvExportsComeStraightFromClickHouseText() throws {
        let url = try TestServices.clickHouseURL()
        try ClickHouseReader.dropDatabases(url, ["bronze", "copy", "agg", "dim"])
        let c = try ApplyCase("strategies", environment: ["PIPEC_TEST_CLICKHOUSE_URL": url])
        try expectSuccess(c.apply("clickhouse.yaml", ["--ds", "2025-01-02", "--only", "load_events", "copy.events_append", "export_events"]))
        let r = try ChildProcess.run("bash", ["-c", "gunzip -c \"$0\" | sort", c.path("data/exports/2025-01-02/events.csv.gz")])
        #expect(r.exitCode == 0, "\(r.output)")
        #expect(r.stdout == """
            5,u1,pro,20,2025-01-02 00:00:00
            6,u3,free,2.5,2025-01-02 10:00:00
            7,u2,free,4,2025-01-02 11:00:00
            8,u4,free,1,2025-01-02 13:00:00
            event_id,user_id,plan,amount,event_time

            """)
    }

    /// A ClickHouse nobody answers at is a service problem (exit 3), not a failing spec.
    @Test func anUnreachableServerExitsThree() throws {
        let c = try ApplyCase("strategies", environment: ["PIPEC_TEST_CLICKHOUSE_URL": "http://127.0.0.1:9"])
        let r = try c.apply("clickhouse.yaml", ["--ds", "2025-01-01", "--only", "load_events"])
        #expect(r.exitCode == 3, "\(r.transcript)")
    }

    /// JSON lines go to ClickHouse unparsed (JSONEachRow): extra keys are skipped, both date-time spellings read,
    /// and a line ClickHouse rejects fails the load with its message, loading nothing.
    @Test func jsonLinesLoadStraightIntoClickHouse() throws {
        let url = try TestServices.clickHouseURL()
        try ClickHouseReader.dropDatabases(url, ["pipec_jsonl"])
        let c = try ApplyCase("jsonl", environment: ["PIPEC_TEST_CLICKHOUSE_URL": url])
        try expectSuccess(c.apply("clickhouse.yaml", ["--ds", "2025-01-01"]))
        #expect(try ClickHouseReader.query(url, "SELECT hash_id, ts, name, ifNull(toString(value), '-') FROM pipec_jsonl.metrics ORDER BY hash_id") == """
            1|2025-01-01 05:00:00|cpu|1.5
            2|2025-01-01 06:30:00|mem, "quoted"|-
            3|2025-01-01 23:59:59|disk|3
            """)
        #expect(try c.state("SELECT rows_written FROM pipec_task_instances WHERE unit = 'load_metrics'") == "3")
        let bad = try c.apply("clickhouse.yaml", ["--ds", "2025-01-02"])
        #expect(bad.exitCode == 1)
        #expect(bad.output.contains("2025-01-02.jsonl") && bad.output.contains("not a number"), "\(bad.transcript)")
        #expect(try ClickHouseReader.query(url, "SELECT groupArray(hash_id) FROM pipec_jsonl.metrics") == "[1,2,3]",
                "the failed day replaced nothing: the table still holds the last good load")
    }
}
