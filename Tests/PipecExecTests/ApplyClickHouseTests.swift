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
}
