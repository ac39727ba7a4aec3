import Foundation

/// `swift run -c release pipec-bench [generate N]`: runs every benchmark and prints each as a ratio against a
/// baseline measured in the same run; `generate N` prints a synthetic N-table spec instead. (`__apply SPEC DS` is
/// the child process the s3-export benchmark measures pipec's memory in.)
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "__apply" {
    exit(ChildApply.main(Array(arguments.dropFirst())))
}
if arguments.first == "generate" {
    let n = arguments.count > 1 ? Int(arguments[1]) ?? 10_000 : 10_000
    print(SpecGenerator.spec(tables: n), terminator: "")
    exit(0)
}
let only = Set(arguments)
func wanted(_ name: String) -> Bool { only.isEmpty || only.contains(name) }

print("pipec benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
if wanted("validate") { ValidateBenchmark.run() }
if wanted("compile") { CompileBenchmark.run() }
if wanted("scaling") { ScalingBenchmark.run() }
if wanted("docs") { DocsBenchmark.run() }
if wanted("executor") { ExecutorBenchmark.run() }
if wanted("schedule") { ScheduleBenchmark.run() }
if wanted("template") { TemplateRatio.run() }
if wanted("postgres-load") {
    if let url = ProcessInfo.processInfo.environment["PIPEC_TEST_POSTGRES_URL"] {
        print(postgresLoadBenchmark(url: url, rows: 1_000_000).trimmingCharacters(in: .newlines))
        ApplyLoadBenchmark.run(url: url, rows: 1_000_000)
    } else {
        print("postgres-load: set PIPEC_TEST_POSTGRES_URL (bench/run.sh starts a server)")
    }
}
let environment = ProcessInfo.processInfo.environment
/// The native TCP port of the ClickHouse server (for clickhouse-client), as scripts/services/clickhouse.sh names it.
let clickHouseTCPPort = Int(environment["PIPEC_CH_TCP_PORT"] ?? "") ?? 19000
if wanted("clickhouse-load") {
    if let url = environment["PIPEC_TEST_CLICKHOUSE_URL"], !url.isEmpty {
        ClickHouseLoadBenchmark.run(url: url, tcpPort: clickHouseTCPPort, rows: 1_000_000)
    } else {
        print("clickhouse-load: set PIPEC_TEST_CLICKHOUSE_URL and PIPEC_CH_TCP_PORT (bench/run.sh starts a server)")
    }
}
if wanted("s3-export") {
    if let url = environment["PIPEC_TEST_CLICKHOUSE_URL"], !url.isEmpty, let endpoint = environment["PIPEC_TEST_S3_ENDPOINT"], !endpoint.isEmpty,
       let key = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"] {
        S3ExportBenchmark.run(clickHouseURL: url, tcpPort: clickHouseTCPPort, s3: .init(
            endpoint: endpoint, accessKey: key, secretKey: secret, region: environment["AWS_REGION"] ?? "us-east-1"))
    } else {
        print("s3-export: set PIPEC_TEST_CLICKHOUSE_URL, PIPEC_TEST_S3_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (bench/run.sh starts the servers)")
    }
}
