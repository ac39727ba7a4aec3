import Foundation
import PipecSchedule
import PipecTemplate

/// Renders `bench/template/sql_template.sql` with the Airflow context of a daily run for `seconds` on one thread
/// and returns renders per second and the last output. `bench/template/jinja2_bench.py` renders the same template
/// with the same values through Jinja2 as Airflow configures it; the ratio of the two is the benchmark.
public func templateBenchmark(seconds: Double) -> (rendersPerSecond: Double, output: String) {
    let source: String
    do {
        source = try templateBenchmarkSource()
    } catch {
        return (0, "cannot read the benchmark template: \(error)")
    }
    let template: Template
    do {
        template = try Template.parse(source, origin: .file("bench/template/sql_template.sql"))
    } catch {
        return (0, error.description)
    }
    let logical = Instant(seconds: 1_740_798_000)   // 2025-03-01T03:00:00Z
    let day: Int64 = 86_400
    let run = RunTimes(semantics: .airflow2, logicalDate: logical, dataIntervalStart: logical,
                       dataIntervalEnd: logical.adding(seconds: day), runAfter: logical.adding(seconds: day),
                       previousLogicalDate: logical.adding(seconds: -day), nextLogicalDate: logical.adding(seconds: day),
                       runId: "scheduled__2025-03-01T03:00:00+00:00")
    let params: [(String, TemplateValue)] = [
        ("schema", "silver"), ("table", "fact_events"), ("columns", ["event_name", "event_time", "country"]),
        ("app_id", 1234), ("source", "appmetrica's api"), ("dedupe", true),
    ]
    let context = AirflowContext.context(for: run, params: params, dagId: "medallion")

    var output = ""
    do {
        for _ in 0..<200 { output = try template.render(context) }
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
        var count = 0
        var now = start
        while now < deadline {
            for _ in 0..<256 { output = try template.render(context) }
            count += 256
            now = clock.now
        }
        let elapsed = now - start
        let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (Double(count) / secondsElapsed, output)
    } catch {
        return (0, error.description)
    }
}

/// The template text, found next to this source file (`bench/template/`) or under the working directory.
private func templateBenchmarkSource() throws -> String {
    let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    let candidates = [
        here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("template/sql_template.sql").path,
        FileManager.default.currentDirectoryPath + "/bench/template/sql_template.sql",
    ]
    for path in candidates where FileManager.default.fileExists(atPath: path) {
        return try String(contentsOfFile: path, encoding: .utf8)
    }
    throw CocoaError(.fileNoSuchFile)
}
