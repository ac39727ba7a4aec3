import Foundation

/// `swift run -c release pipec-bench [generate N]`: runs every benchmark and prints each as a ratio against a
/// baseline measured in the same run; `generate N` prints a synthetic N-table spec instead.
let arguments = Array(CommandLine.arguments.dropFirst())
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
