import Foundation

/// pipec's renders per second against Python's Jinja2 (what Airflow and dbt render with) on the same template,
/// same values, one core each, measured in this run.
enum TemplateRatio {
    static func run(seconds: Double = 3) {
        let pipec = templateBenchmark(seconds: seconds)
        guard let jinja = jinja2RendersPerSecond(seconds: seconds) else {
            print("template: pipec \(Int(pipec.rendersPerSecond)) renders/s; Jinja2 baseline unavailable (python3 with jinja2 needed)")
            return
        }
        print("template: 30-line SQL template: pipec \(Int(pipec.rendersPerSecond)) renders/s; Jinja2 (Airflow's sandbox) \(Int(jinja)) renders/s; "
              + "ratio \(Measure.ratio(pipec.rendersPerSecond / jinja)) (target >= 3x)")
    }

    static func jinja2RendersPerSecond(seconds: Double) -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "bench/template/jinja2_bench.py", String(seconds)]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["renders_per_second"] as? Double
    }
}
