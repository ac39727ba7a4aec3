import Foundation
import PipecDiagnostics
import PipecExec
import PipecModel
import PipecPostgres

/// The whole pipeline path of a load: `pipec apply` of a spec whose task loads a 1,000,000-row CSV from a `file`
/// resource into PostgreSQL (plan, state store and all), against `psql -c "\copy ... csv header"` of the same file
/// into the same table, in the same run.
enum ApplyLoadBenchmark {
    static func run(url: String, rows: Int) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-bench-apply-load-\(ProcessInfo.processInfo.processIdentifier)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try FileManager.default.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
            var csv = "id,ts,user_id,action,country,value\n"
            csv.reserveCapacity(rows * 64)
            let countries = ["DE", "US", "FR", "NL", "JP"]
            for i in 0..<rows {
                csv += "\(i),2025-01-01 \(10 + i % 10):\(10 + i % 50):00,\(i % 100_000),page_view,\(countries[i % 5]),\(Double(i % 1000) / 10)\n"
            }
            try csv.write(toFile: dir + "/data/events.csv", atomically: false, encoding: .utf8)
            let bytes = csv.utf8.count
            csv = ""
            let spec = """
            version: 1
            pipeline: apply_load
            resources:
              pg: {kind: postgres, dsn: "\(url)"}
              landing: {kind: file, root: data/}
            tables:
              bench_apply.events:
                on: pg
                staging: true
                columns: {id: bigint, ts: timestamp, user_id: integer, action: text, country: text, value: double precision}
            tasks:
              load_events:
                kind: load
                from: {object: {on: landing, key: events.csv, format: csv, header: true}}
                into: bench_apply.events
                strategy: full
            """
            guard let pipeline = SpecLoader.load(text: spec, path: dir + "/load.yaml", projectRoot: dir, sources: SourceFiles()).valid else {
                print("apply-load: the benchmark spec does not validate")
                return
            }
            let admin = try PGConnection(conninfo: url)
            _ = try admin.execute("DROP SCHEMA IF EXISTS bench_apply CASCADE")
            defer { _ = try? admin.execute("DROP SCHEMA IF EXISTS bench_apply CASCADE") }
            var applyTimes: [Double] = []
            var psqlTimes: [Double] = []
            for attempt in 0..<3 {
                var options = ApplyOptions()
                options.selection = .ds("2025-01-01")
                options.rerun = true
                options.state = "sqlite:" + dir + "/.pipec/state.sqlite"
                let start = DispatchTime.now().uptimeNanoseconds
                let outcome = try Applier.apply(pipeline, options: options, log: ApplyLog(redact: { $0 }, write: { _ in }), interruption: CancellationFlag())
                applyTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                guard outcome.status == .success else {
                    print("apply-load: apply failed: \(outcome.message)")
                    return
                }
                _ = try admin.execute("TRUNCATE bench_apply.events")
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                p.arguments = ["psql", url, "-q", "-c", "\\copy bench_apply.events from '\(dir)/data/events.csv' csv header"]
                let psqlStart = DispatchTime.now().uptimeNanoseconds
                try p.run()
                p.waitUntilExit()
                psqlTimes.append(Double(DispatchTime.now().uptimeNanoseconds - psqlStart) / 1e9)
                let count = try admin.query("SELECT count(*) FROM bench_apply.events").rows.first?.first ?? nil
                guard p.terminationStatus == 0, count == String(rows) else {
                    print("apply-load: psql baseline failed (attempt \(attempt))")
                    return
                }
            }
            let apply = applyTimes.sorted()[1], psql = psqlTimes.sorted()[1]
            print("apply-load: \(rows) rows (\(bytes / 1_000_000) MB CSV) through pipec apply: \(Measure.format(apply)); "
                  + "psql \\copy \(Measure.format(psql)); pipec/psql throughput \(String(format: "%.2f", psql / apply)) (target >= 0.90)")
        } catch {
            print("apply-load: \(error)")
        }
    }
}
