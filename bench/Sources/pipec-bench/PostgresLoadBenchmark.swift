import Foundation
import PipecPostgres
#if canImport(Glibc)
import Glibc
#endif

/// Bulk load into PostgreSQL: `PGConnection.copyIn` streaming a CSV file in 1 MiB chunks against
/// `psql -c "\copy t from 'file' csv"` (libpq's own COPY client) on the same file and server, then the peak
/// memory of streaming a 1 GB file, to show that pipec's load holds one chunk at a time.
///
/// Returns the report lines (joined by newlines) for the caller to print. `url` is a libpq URI or conninfo;
/// `rows` the size of the timed file (1,000,000 rows is about 100 MB). Throughputs are in MB/s with MB = 10^6
/// bytes of CSV; times are wall-clock medians of 3 runs, each into a freshly created table, with psql and pipec
/// runs interleaved so that load from other processes affects both alike.
func postgresLoadBenchmark(url: String, rows: Int) -> String {
    var report = PostgresLoadBenchmark.Report()
    do {
        try PostgresLoadBenchmark.run(url: url, rows: rows, report: &report)
    } catch {
        report.add("failed: \(error)")
    }
    return report.lines.joined(separator: "\n")
}

enum PostgresLoadBenchmark {
    static let table = "pipec_bench_load"
    static let runs = 3
    static let chunkSize = 1 << 20
    static let bigFileBytes = 1_000_000_000
    static let peakTargetMiB = 100.0
    static let ratioTarget = 0.90

    struct Report {
        var lines: [String] = []
        mutating func add(_ line: String) { lines.append("postgres-load: " + line) }
    }

    struct BenchmarkError: Error, CustomStringConvertible {
        let description: String
    }

    static func run(url: String, rows: Int, report: inout Report) throws {
        let directory = NSTemporaryDirectory() + "pipec-bench-load-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let admin = try PGConnection(conninfo: url)
        defer { _ = try? admin.execute("DROP TABLE IF EXISTS \(table)") }

        // 1. psql vs pipec on the same file.
        let csv = directory + "/events.csv"
        let bytes = try EventCSV.write(to: csv, rows: rows)
        report.add("\(rows) rows, \(mb(bytes)) MB CSV (\(bytes / max(rows, 1)) B/row); table \(table) recreated before each run")
        var psqlTimes: [Double] = []
        var pipecTimes: [Double] = []
        for _ in 0..<runs {
            try recreateTable(admin)
            psqlTimes.append(try timed { try psqlCopy(url: url, file: csv) })
            try expectCount(admin, rows)
            try recreateTable(admin)
            var loaded = 0
            pipecTimes.append(try timed {
                let connection = try PGConnection(conninfo: url)
                loaded = try connection.copyIn("COPY \(table) FROM STDIN (FORMAT csv)", fromFileAt: csv, chunkSize: chunkSize)
            })
            guard loaded == rows else { throw BenchmarkError(description: "copyIn reported \(loaded) rows, expected \(rows)") }
            try expectCount(admin, rows)
        }
        let psql = median(psqlTimes)
        let pipec = median(pipecTimes)
        report.add("psql \\copy: median \(seconds(psql)) (\(psqlTimes.map(seconds).joined(separator: ", "))), "
                   + "\(mb(Double(bytes) / psql)) MB/s, \(Int(Double(rows) / psql)) rows/s")
        report.add("pipec copyIn, 1 MiB chunks: median \(seconds(pipec)) (\(pipecTimes.map(seconds).joined(separator: ", "))), "
                   + "\(mb(Double(bytes) / pipec)) MB/s, \(Int(Double(rows) / pipec)) rows/s")
        let ratio = psql / pipec
        report.add(String(format: "pipec/psql throughput %.2f (target >= %.2f): %@", ratio, ratioTarget,
                          ratio >= ratioTarget ? "met" : "NOT met"))
        try FileManager.default.removeItem(atPath: csv)

        // 2. Peak memory while streaming a 1 GB file.
        let big = directory + "/events-1gb.csv"
        let bigBytes = try EventCSV.write(to: big, minimumBytes: bigFileBytes)
        try recreateTable(admin)
        // Earlier benchmarks in this process leave freed heap resident; give it back so the peak is the stream's.
        releaseFreedHeap()
        let rssBefore = memoryMiB("VmRSS")
        let reset = resetPeakRSS()
        var bigRows = 0
        let bigTime = try timed {
            let connection = try PGConnection(conninfo: url)
            bigRows = try connection.copyIn("COPY \(table) FROM STDIN (FORMAT csv)", fromFileAt: big, chunkSize: chunkSize)
        }
        let peak = memoryMiB("VmHWM")
        try FileManager.default.removeItem(atPath: big)
        try admin.execute("DROP TABLE IF EXISTS \(table)")
        let peakNote = reset ? "peak RSS during the stream" : "peak RSS of the whole process (clear_refs unavailable)"
        report.add("1 GB stream: \(mb(bigBytes)) MB, \(bigRows) rows in \(seconds(bigTime)) (\(mb(Double(bigBytes) / bigTime)) MB/s); "
                   + String(format: "%@ %.1f MiB (RSS before %.1f MiB; target < %.0f MB): %@", peakNote, peak, rssBefore,
                            peakTargetMiB, peak < peakTargetMiB ? "met" : "NOT met"))
    }

    // MARK: - Steps

    static func recreateTable(_ connection: PGConnection) throws {
        try connection.execute("""
            DROP TABLE IF EXISTS \(table);
            CREATE TABLE \(table) (id bigint, ts timestamp, user_id int, action text, country text, value double precision);
            """)
    }

    static func expectCount(_ connection: PGConnection, _ rows: Int) throws {
        let count = try connection.query("SELECT count(*) FROM \(table)")[0, 0]
        guard count == String(rows) else { throw BenchmarkError(description: "table has \(count ?? "NULL") rows, expected \(rows)") }
    }

    /// `psql URL -c "\copy ... from 'file' csv"`, the baseline; fails unless psql exits with 0.
    /// posix_spawn + waitpid (not Foundation's `Process`, whose run-loop based wait adds its own latency and was
    /// seen to hang in other threads); psql's stderr goes to a file that is read only on failure.
    static func psqlCopy(url: String, file: String) throws {
        let errPath = file + ".psql-stderr"
        defer { unlink(errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let arguments = ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "\\copy \(table) from '\(file)' csv"]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, "psql", &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchmarkError(description: "cannot run psql: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw BenchmarkError(description: "waitpid failed for psql") }
        }
        guard status == 0 else {
            let message = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw BenchmarkError(description: "psql failed (wait status \(status)): \(message)")
        }
    }

    // MARK: - Measuring

    static func timed(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// A `/proc/self/status` memory line (`VmRSS`, `VmHWM`) in MiB; 0 where /proc is unavailable.
    static func memoryMiB(_ key: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }

    /// glibc's `malloc_trim(0)`, looked up at run time because the Glibc module does not export it.
    static func releaseFreedHeap() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }

    /// Resets VmHWM to the current RSS (Linux: writing 5 to /proc/self/clear_refs), so the peak measured
    /// afterwards belongs to the stream and not to earlier benchmarks in this process.
    static func resetPeakRSS() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
    static func mb(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }
    static func mb(_ bytesPerSecond: Double) -> String { String(format: "%.1f", bytesPerSecond / 1e6) }
}

extension PostgresLoadBenchmark {
    /// Writes the benchmark's event CSV (`id,ts,user_id,action,country,value`, no header, about 100 bytes a row)
    /// through a 1 MiB buffer, so generating a 1 GB file takes constant memory. Deterministic: row `i` is a function
    /// of `i` alone.
    enum EventCSV {
        static let actions: [[UInt8]] = [
            "web.session.page_view.product_detail", "web.checkout.payment_method_selected", "app.search.results_page.scrolled",
            "app.cart.item_added_from_recommendation", "web.account.newsletter_subscription_confirmed",
            "app.onboarding.tutorial_step_completed", "web.checkout.order_confirmation_viewed", "app.push.notification_opened",
        ].map { Array($0.utf8) }
        static let countries: [[UInt8]] = ["DE", "US", "FR", "NL", "JP", "BR", "IN", "GB", "SE", "ES"].map { Array($0.utf8) }
        /// 2024-01-01 00:00:00 UTC in days since 1970-01-01.
        static let firstDay = 19_723

        /// Writes `rows` rows; returns the file size in bytes.
        static func write(to path: String, rows: Int) throws -> Int {
            try write(to: path) { index, _ in index <= rows }
        }

        /// Writes rows until the file holds at least `minimumBytes`; returns the file size in bytes.
        static func write(to path: String, minimumBytes: Int) throws -> Int {
            try write(to: path) { _, written in written < minimumBytes }
        }

        private static func write(to path: String, while more: (_ index: Int, _ written: Int) -> Bool) throws -> Int {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: path) else {
                throw PostgresLoadBenchmark.BenchmarkError(description: "cannot create \(path)")
            }
            defer { try? handle.close() }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20 + 256)
            var written = 0
            var index = 1
            let days = DayPrefix()
            while more(index, written + buffer.count) {
                appendRow(index, days: days, to: &buffer)
                index += 1
                if buffer.count >= 1 << 20 {
                    try handle.write(contentsOf: buffer)
                    written += buffer.count
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: buffer)
            return written + buffer.count
        }

        static func appendRow(_ i: Int, days: DayPrefix, to out: inout [UInt8]) {
            let comma = UInt8(ascii: ",")
            let hash = (i &* 2_654_435_761) & 0xffff_ffff
            appendDecimal(i, to: &out)
            out.append(comma)
            // ts: three seconds apart, with microseconds.
            let seconds = i * 3
            out.append(contentsOf: days.bytes(forDay: seconds / 86_400))
            let secondOfDay = seconds % 86_400
            appendDecimal(secondOfDay / 3600, width: 2, to: &out); out.append(UInt8(ascii: ":"))
            appendDecimal(secondOfDay / 60 % 60, width: 2, to: &out); out.append(UInt8(ascii: ":"))
            appendDecimal(secondOfDay % 60, width: 2, to: &out); out.append(UInt8(ascii: "."))
            appendDecimal(hash % 1_000_000, width: 6, to: &out)
            out.append(comma)
            appendDecimal(hash % 5_000_000 + 1, to: &out)
            out.append(comma)
            out.append(contentsOf: actions[(hash >> 3) % actions.count])
            out.append(comma)
            out.append(contentsOf: countries[(hash >> 7) % countries.count])
            out.append(comma)
            appendDecimal((hash >> 5) % 100_000, to: &out); out.append(UInt8(ascii: "."))
            appendDecimal((hash >> 2) % 1_000_000, width: 6, to: &out)
            out.append(UInt8(ascii: "\n"))
        }

        /// Appends a non-negative integer in decimal, zero-padded to `width` digits.
        static func appendDecimal(_ value: Int, width: Int = 1, to out: inout [UInt8]) {
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            var rest = value
            withUnsafeMutableBytes(of: &digits) { storage in
                repeat {
                    storage[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                    count += 1
                } while rest > 0
                while count < width {
                    storage[count] = UInt8(ascii: "0")
                    count += 1
                }
                for position in stride(from: count - 1, through: 0, by: -1) { out.append(storage[position]) }
            }
        }

        /// `YYYY-MM-DD ` for a day after 2024-01-01 (UTC), formatted by Foundation; rows change day every 28,800
        /// rows, so the last day's bytes are cached.
        final class DayPrefix {
            private var day = -1
            private var bytes: [UInt8] = []
            private let formatter: DateFormatter = {
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "UTC")
                formatter.dateFormat = "yyyy-MM-dd "
                return formatter
            }()

            func bytes(forDay index: Int) -> [UInt8] {
                if index != day {
                    day = index
                    let seconds = Double(EventCSV.firstDay + index) * 86_400
                    bytes = Array(formatter.string(from: Date(timeIntervalSince1970: seconds)).utf8)
                }
                return bytes
            }
        }
    }
}
