import Foundation
import PipecClickHouse
import PipecDiagnostics
import PipecExec
import PipecModel

/// Bulk load into ClickHouse: `pipec apply` of a spec whose `load` task reads a 1,000,000-row CSV from a `file`
/// resource into a MergeTree table (plan, state store, staging table recreated, the HTTP insert and all), against
/// `clickhouse-client --query "INSERT INTO t FORMAT CSVWithNames" < file` (ClickHouse's own client over the native
/// protocol) on the same file into the same kind of table, freshly created, in the same run.
///
/// Medians of 3, runs interleaved so that load from other processes affects both alike; every run is followed by
/// `count()`, so a load that lost rows fails the benchmark instead of looking fast. Two more figures split pipec's
/// time: the client with `date_time_input_format=best_effort` (the setting pipec's CSV path always sends), and
/// pipec's engine alone (`ClickHouseHTTPEngine.copyCSV`, no apply around it). MB = 10^6 bytes of CSV.
enum ClickHouseLoadBenchmark {
    static let database = "pipec_bench"
    static let runs = 3
    static let ratioTarget = 0.90
    static let columns = ["id", "ts", "user_id", "action", "country", "value"]
    static let columnDDL = "(id UInt64, ts DateTime, user_id UInt32, action String, country String, value Float64)"
    static let engineDDL = "ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (ts, id)"

    static func run(url: String, tcpPort: Int, rows: Int) {
        do {
            try measure(url: url, tcpPort: tcpPort, rows: rows)
        } catch {
            print("clickhouse-load: failed: \(error)")
        }
    }

    static func say(_ line: String) { print("clickhouse-load: " + line) }

    static func measure(url: String, tcpPort: Int, rows: Int) throws {
        let dir = NSTemporaryDirectory() + "pipec-bench-ch-load-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/data/events.csv"
        let bytes = try EventsCSV.write(to: csv, rows: rows)

        let admin = try ClickHouseClient(ClickHouseConfig(url: url))
        try admin.execute("CREATE DATABASE IF NOT EXISTS \(database)")
        let pipecTable = "\(database).events", clientTable = "\(database).events_client", engineTable = "\(database).events_engine"
        for table in [pipecTable, clientTable, engineTable] { try admin.execute("DROP TABLE IF EXISTS \(table)") }
        defer { for table in [pipecTable, clientTable, engineTable] { _ = try? admin.execute("DROP TABLE IF EXISTS \(table)") } }
        let version = scalar(admin, "SELECT version()") ?? "?"
        say("\(rows) rows, \(mb(bytes)) MB CSV with a header (\(bytes / max(rows, 1)) B/row), ClickHouse \(version); "
            + "tables MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (ts, id), recreated before each run")

        let spec = """
        version: 1
        pipeline: clickhouse_load
        resources:
          ch: {kind: clickhouse, url: "\(url)", database: default}
          landing: {kind: file, root: data/}
        tables:
          \(pipecTable):
            on: ch
            staging: true
            engine: MergeTree
            partition_by: toYYYYMM(ts)
            order_by: [ts, id]
            columns: {id: UInt64, ts: DateTime, user_id: UInt32, action: String, country: String, value: Float64}
        tasks:
          load_events:
            kind: load
            from: {object: {on: landing, key: events.csv, format: csv, header: true}}
            into: \(pipecTable)
            strategy: full
        """
        let loaded = SpecLoader.load(text: spec, path: dir + "/load.yaml", projectRoot: dir, sources: SourceFiles())
        guard let pipeline = loaded.valid else { throw BenchError("the benchmark spec does not validate: \(loaded.diagnostics)") }

        func recreate(_ table: String) throws {
            try admin.execute("DROP TABLE IF EXISTS \(table)")
            try admin.execute("CREATE TABLE \(table) \(columnDDL) \(engineDDL)")
        }
        func expectCount(_ table: String, _ what: String) throws {
            let count = scalar(admin, "SELECT count() FROM \(table)")
            guard count == String(rows) else { throw BenchError("\(what): \(table) has \(count ?? "no") rows, expected \(rows)") }
        }
        func client(_ settings: [String]) throws -> Double {
            try recreate(clientTable)
            let result = try BenchProcess.check("clickhouse-client", ["clickhouse-client", "--port", String(tcpPort)] + settings
                                                + ["--query", "INSERT INTO \(clientTable) FORMAT CSVWithNames"], stdin: csv)
            try expectCount(clientTable, "clickhouse-client")
            return result.seconds
        }

        var clientTimes: [Double] = [], lenientTimes: [Double] = [], applyTimes: [Double] = [], engineTimes: [Double] = []
        for _ in 0..<runs {
            clientTimes.append(try client([]))

            var options = ApplyOptions()
            options.selection = .ds("2025-01-01")
            options.rerun = true
            options.state = "sqlite:" + dir + "/.pipec/state.sqlite"
            var outcome: ApplyOutcome?
            applyTimes.append(try benchTimed {
                outcome = try Applier.apply(pipeline, options: options, log: ApplyLog(redact: { $0 }, write: { _ in }), interruption: CancellationFlag())
            })
            guard outcome?.status == .success else { throw BenchError("pipec apply failed: \(outcome?.message ?? "")") }
            try expectCount(pipecTable, "pipec apply")

            lenientTimes.append(try client(["--date_time_input_format=best_effort"]))

            try recreate(engineTable)
            let engine = try ClickHouseHTTPEngine(config: ClickHouseConfig(url: url))
            guard let handle = FileHandle(forReadingAtPath: csv) else { throw BenchError("cannot open \(csv)") }
            defer { try? handle.close() }
            var copied: Int?
            engineTimes.append(try benchTimed {
                copied = try engine.copyCSV(into: engineTable, columns: columns, delimiter: UInt8(ascii: ","), header: true, cancel: CancellationFlag()) {
                    guard let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty else { return nil }
                    return [UInt8](chunk)
                }
            })
            guard copied == rows else { throw BenchError("copyCSV reported \(copied.map(String.init) ?? "nil") rows, expected \(rows)") }
            try expectCount(engineTable, "copyCSV")
        }
        // The table pipec created must be the same kind as the baseline's.
        let ddl = { (table: String) -> String in (scalar(admin, "SHOW CREATE TABLE \(table)") ?? "").replacingOccurrences(of: table, with: "T") }
        let sameDDL = ddl(pipecTable) == ddl(clientTable)

        let client = benchMedian(clientTimes), apply = benchMedian(applyTimes)
        let lenient = benchMedian(lenientTimes), engine = benchMedian(engineTimes)
        func line(_ name: String, _ times: [Double], _ median: Double) -> String {
            "\(name): median \(seconds(median)) (\(times.map(seconds).joined(separator: ", "))), "
                + "\(mb(Double(bytes) / median)) MB/s, \(Int(Double(rows) / median)) rows/s"
        }
        say(line("clickhouse-client --query 'INSERT ... FORMAT CSVWithNames' < file", clientTimes, client))
        say(line("pipec apply (file resource -> load task -> MergeTree)", applyTimes, apply)
            + (sameDDL ? "; same table DDL as the baseline's" : "; NOTE: its table DDL differs from the baseline's"))
        let ratio = client / apply
        say(String(format: "pipec/clickhouse-client throughput %.2f (target >= %.2f): %@", ratio, ratioTarget, ratio >= ratioTarget ? "met" : "NOT met"))
        say(line("  split: clickhouse-client with date_time_input_format=best_effort", lenientTimes, lenient))
        say(line("  split: pipec ClickHouseHTTPEngine.copyCSV alone (no apply)", engineTimes, engine)
            + String(format: "; apply overhead %.0f ms", (apply - engine) * 1000))
    }

    /// The first field of the first row; nil on an error or an empty result.
    static func scalar(_ client: ClickHouseClient, _ sql: String) -> String? {
        guard let rows = try? client.query(sql).1, let first = rows.first, let value = first.first else { return nil }
        return value
    }

    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
    static func mb(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }
    static func mb(_ bytesPerSecond: Double) -> String { String(format: "%.1f", bytesPerSecond / 1e6) }

    /// The events CSV of the PostgreSQL benchmark (`id,ts,user_id,action,country,value`, about 96 bytes a row,
    /// deterministic) with a header and whole-second times: ClickHouse 18.16 reads `YYYY-MM-DD hh:mm:ss` as a
    /// DateTime by default and refuses fractions unless `date_time_input_format=best_effort`.
    enum EventsCSV {
        typealias Events = PostgresLoadBenchmark.EventCSV

        static func write(to path: String, rows: Int) throws -> Int {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw BenchError("cannot create \(path)")
            }
            defer { try? handle.close() }
            var buffer = Array((ClickHouseLoadBenchmark.columns.joined(separator: ",") + "\n").utf8)
            buffer.reserveCapacity(1 << 20 + 256)
            var written = 0
            let days = Events.DayPrefix()
            for i in 1...max(rows, 1) {
                appendRow(i, days: days, to: &buffer)
                if buffer.count >= 1 << 20 {
                    try handle.write(contentsOf: buffer)
                    written += buffer.count
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: buffer)
            return written + buffer.count
        }

        static func appendRow(_ i: Int, days: Events.DayPrefix, to out: inout [UInt8]) {
            let comma = UInt8(ascii: ",")
            let hash = (i &* 2_654_435_761) & 0xffff_ffff
            Events.appendDecimal(i, to: &out)
            out.append(comma)
            let seconds = i * 3
            out.append(contentsOf: days.bytes(forDay: seconds / 86_400))
            let secondOfDay = seconds % 86_400
            Events.appendDecimal(secondOfDay / 3600, width: 2, to: &out); out.append(UInt8(ascii: ":"))
            Events.appendDecimal(secondOfDay / 60 % 60, width: 2, to: &out); out.append(UInt8(ascii: ":"))
            Events.appendDecimal(secondOfDay % 60, width: 2, to: &out)
            out.append(comma)
            Events.appendDecimal(hash % 5_000_000 + 1, to: &out)
            out.append(comma)
            out.append(contentsOf: Events.actions[(hash >> 3) % Events.actions.count])
            out.append(comma)
            out.append(contentsOf: Events.countries[(hash >> 7) % Events.countries.count])
            out.append(comma)
            Events.appendDecimal((hash >> 5) % 100_000, to: &out); out.append(UInt8(ascii: "."))
            Events.appendDecimal((hash >> 2) % 1_000_000, width: 6, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
    }
}
