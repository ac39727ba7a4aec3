import Foundation
import PipecAWS
import PipecClickHouse

/// Export to S3: a ClickHouse table whose CSV is about 1 GB (filled server-side from `numbers(N)`) exported by
/// `pipec apply` of a spec with an `export` task to an `s3` resource on moto, run in a child process
/// (`pipec-bench __apply`) that reports its own peak RSS (VmHWM), so the figure is pipec's alone. The object is checked whole:
/// HEAD's size, then downloaded back and its lines counted (rows + header). The same export to a `file` resource
/// splits pipec's time into the export itself and what S3 adds.
///
/// Baselines in the same run, on the same server, with the very bytes pipec produced (the downloaded object):
/// `curl --aws-sigv4 -T` (one PUT: what the upload alone costs), curl's multipart upload in 8 MiB parts one after
/// another (pipec's protocol: on moto, CompleteMultipartUpload alone takes seconds per GB), and
/// `clickhouse-client --query "SELECT ... FORMAT CSVWithNames" | curl -T -`, the same read-and-upload job done by
/// the reference tools, streamed. MB = 10^6 bytes.
///
/// moto keeps objects in memory (and spools them to temp files), so every object is deleted as soon as it has
/// been checked, and the size is cut down when MemAvailable is short of 5 GB per GB exported (said so in the
/// output; moto peaks near 4 GB while completing a 1 GB multipart upload). `PIPEC_BENCH_EXPORT_BYTES` sets the
/// size, `PIPEC_BENCH_EXPORT_RUNS` the number of runs (median; default 1).
enum S3ExportBenchmark {
    struct S3Settings {
        var endpoint: String
        var accessKey: String
        var secretKey: String
        var region: String
    }

    static let database = "pipec_bench"
    static let table = "pipec_bench.export_src"
    static let bucket = "pipec-bench"
    static let peakTargetMiB = 100.0
    static let columns = ["id", "ts", "user_id", "action", "country", "value"]
    /// ~84 bytes of CSV a row, deterministic; the same action and country names as the load benchmarks.
    static let selectList = """
        number + 1 AS id, toDateTime(1704067200 + number * 3) AS ts, toUInt32(intHash32(number) % 5000000 + 1) AS user_id, \
        [\(PostgresLoadBenchmark.EventCSV.actions.map { "'\(String(decoding: $0, as: UTF8.self))'" }.joined(separator: ", "))][intHash32(number) % 8 + 1] AS action, \
        [\(PostgresLoadBenchmark.EventCSV.countries.map { "'\(String(decoding: $0, as: UTF8.self))'" }.joined(separator: ", "))][intDiv(intHash32(number), 8) % 10 + 1] AS country, \
        intHash32(number) % 10000000 / 100 AS value
        """
    /// Bytes of a row as TabSeparated (and pipec's CSV, which needs no quotes for these values) writes it.
    static let rowLength = "length(toString(id)) + 19 + length(toString(user_id)) + length(action) + length(country) + length(toString(value)) + 6"

    static func say(_ line: String) { print("s3-export: " + line) }

    static func run(clickHouseURL: String, tcpPort: Int, s3: S3Settings) {
        do {
            try measure(clickHouseURL: clickHouseURL, tcpPort: tcpPort, s3: s3)
        } catch {
            say("failed: \(error)")
        }
    }

    static func measure(clickHouseURL: String, tcpPort: Int, s3: S3Settings) throws {
        let environment = ProcessInfo.processInfo.environment
        var target = Int(environment["PIPEC_BENCH_EXPORT_BYTES"] ?? "") ?? 1_000_000_000
        let runs = max(1, Int(environment["PIPEC_BENCH_EXPORT_RUNS"] ?? "") ?? 1)
        if let available = BenchProcess.memoryAvailable() {
            // moto holds a whole request body in memory (and copies of it) before storing the object; completing a
            // 1 GB multipart upload took it to 4.2 GB RSS.
            if available / 5 < target {
                say(String(format: "only %.1f GB of RAM available; exporting %.2f GB instead of %.2f GB so that moto is not OOM-killed",
                           Double(available) / 1e9, Double(available / 5) / 1e9, Double(target) / 1e9))
                target = available / 5
            } else {
                say(String(format: "%.1f GB of RAM available (MemAvailable); moto needs about 4x the object size", Double(available) / 1e9))
            }
        }

        let dir = NSTemporaryDirectory() + "pipec-bench-s3-export-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        // 1. The source table.
        let admin = try ClickHouseClient(ClickHouseConfig(url: clickHouseURL))
        try admin.execute("CREATE DATABASE IF NOT EXISTS \(database)")
        try admin.execute("DROP TABLE IF EXISTS \(table)")
        defer { _ = try? admin.execute("DROP TABLE IF EXISTS \(table)") }
        let header = columns.joined(separator: ",") + "\n"
        guard let average = Double(scalar(admin, "SELECT avg(\(rowLength)) FROM (SELECT \(selectList) FROM numbers(\(target / 170), 200000))") ?? "") else {
            throw BenchError("cannot estimate the row size")
        }
        let rows = max(1, Int((Double(target - header.utf8.count) / average).rounded()))
        try admin.execute("CREATE TABLE \(table) (id UInt64, ts DateTime, user_id UInt32, action String, country String, value Float64) "
                          + "ENGINE = MergeTree ORDER BY id")
        let fill = try benchTimed { try admin.execute("INSERT INTO \(table) SELECT \(selectList) FROM numbers(\(rows))") }
        guard scalar(admin, "SELECT count() FROM \(table)") == String(rows),
              let rowBytes = Int(scalar(admin, "SELECT sum(\(rowLength)) FROM \(table)") ?? "") else {
            throw BenchError("the source table does not hold \(rows) rows")
        }
        let expectedBytes = header.utf8.count + rowBytes
        say("source: ClickHouse table \(table), \(rows) rows, \(mb(expectedBytes)) MB as CSV (filled from numbers(N) in \(seconds(fill)))")

        // 2. The bucket, a curl config (keys out of the command line), the spec.
        let store = try S3Client(S3Config(endpoint: s3.endpoint, region: s3.region, bucket: bucket,
                                          credentials: AWSCredentials(accessKey: s3.accessKey, secretKey: s3.secretKey)))
        try store.createBucket()
        let keys = (pipec: "bench/pipec-export.csv", put: "bench/baseline-put.csv", multipart: "bench/baseline-multipart.csv",
                    stream: "bench/baseline-stream.csv")
        let allKeys = [keys.pipec, keys.put, keys.multipart, keys.stream]
        for key in allKeys { try store.delete(key) }
        defer { for key in allKeys { try? store.delete(key) } }
        func objectURL(_ key: String) -> String { "\(s3.endpoint)/\(bucket)/\(key)" }
        let curlConfig = dir + "/curl.conf"
        try """
            user = "\(s3.accessKey):\(s3.secretKey)"
            aws-sigv4 = "aws:amz:\(s3.region):s3"
            header = "x-amz-content-sha256: UNSIGNED-PAYLOAD"
            silent
            show-error
            fail

            """.write(toFile: curlConfig, atomically: false, encoding: .utf8)
        chmod(curlConfig, 0o600)
        let curl = ["curl", "-K", curlConfig]

        // The spec, and a copy whose target is a `file` resource: the same export without S3, to split the time.
        func spec(_ lake: String) -> String {
            """
            version: 1
            pipeline: s3_export
            resources:
              ch: {kind: clickhouse, url: "\(clickHouseURL)", database: default}
              lake: \(lake)
            tables:
              \(table):
                on: ch
                external: true
                columns: {id: UInt64, ts: DateTime, user_id: UInt32, action: String, country: String, value: Float64}
            tasks:
              export_events:
                kind: export
                from: {table: \(table)}
                to: {on: lake, key: \(keys.pipec), format: csv, header: true}

            """
        }
        let specPath = dir + "/export.yaml", fileSpecPath = dir + "/export-file.yaml"
        try spec("{kind: s3, endpoint: \"\(s3.endpoint)\", region: \(s3.region), bucket: \(bucket)}").write(toFile: specPath, atomically: false, encoding: .utf8)
        try spec("{kind: file, root: out/}").write(toFile: fileSpecPath, atomically: false, encoding: .utf8)
        var childEnvironment = environment
        childEnvironment["AWS_ACCESS_KEY_ID"] = s3.accessKey
        childEnvironment["AWS_SECRET_ACCESS_KEY"] = s3.secretKey
        func apply(_ spec: String) throws -> BenchProcess.Result {
            let child = try BenchProcess.run([BenchProcess.selfPath, "__apply", spec, "2025-01-01"], environment: childEnvironment, measureRSS: true)
            guard child.succeeded else { throw BenchError("pipec apply (export) failed (\(child.failure))") }
            return child
        }

        // The multipart baseline: curl PUTs the parts one after another (8 MiB, pipec's part size), then completes.
        let partsDir = dir + "/parts"
        let multipartScript = #"""
            set -euo pipefail
            id=$(curl -K "$CFG" -X POST -H 'Content-Type: text/csv' "$URL?uploads=" | sed -n 's:.*<UploadId>\(.*\)</UploadId>.*:\1:p')
            [ -n "$id" ] || { echo "no UploadId" >&2; exit 1; }
            xml='<CompleteMultipartUpload>'
            n=0
            for part in "$PARTS"/part.*; do
                n=$((n + 1))
                etag=$(curl -K "$CFG" -H 'Content-Type: application/octet-stream' -T "$part" -D - -o /dev/null "$URL?partNumber=$n&uploadId=$id" \
                       | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p')
                xml+="<Part><PartNumber>$n</PartNumber><ETag>$etag</ETag></Part>"
            done
            xml+='</CompleteMultipartUpload>'
            curl -K "$CFG" -X POST -H 'Content-Type: application/xml' --data-binary "$xml" -o /dev/null "$URL?uploadId=$id"
            """#

        var pipecTimes: [Double] = [], fileTimes: [Double] = [], putTimes: [Double] = [], multipartTimes: [Double] = [], streamTimes: [Double] = []
        var peaks: [Double] = [], timePeak = 0.0, filePeak = 0.0, startRSS = 0.0, objectBytes = 0, getTime = 0.0, streamBytes = 0
        var putRSS = 0.0, streamRSS = 0.0, parts = 0
        let downloaded = dir + "/downloaded.csv"
        for _ in 0..<runs {
            // 3. pipec, in a child of its own.
            let child = try apply(specPath)
            pipecTimes.append(child.seconds)
            let fields = ChildApply.fields(child.stdout)
            peaks.append(Double(fields["hwm_kib"] ?? "").map { $0 / 1024 } ?? 0)
            timePeak = max(timePeak, child.maxRSSMiB)
            startRSS = Double(fields["rss_before_kib"] ?? "").map { $0 / 1024 } ?? 0
            guard let info = try store.head(keys.pipec) else { throw BenchError("pipec's export left no object \(keys.pipec)") }
            objectBytes = Int(info.size)

            // The object is whole: download it, count its lines, compare the bytes.
            getTime = try BenchProcess.check("curl GET", curl + ["-o", downloaded, objectURL(keys.pipec)]).seconds
            let (lines, bytes) = try BenchProcess.countLines(downloaded)
            guard lines == rows + 1, bytes == objectBytes, BenchProcess.firstLine(downloaded) + "\n" == header else {
                throw BenchError("the exported object is not complete: \(lines) lines (expected \(rows + 1)), \(bytes) bytes downloaded, "
                                 + "HEAD says \(objectBytes), first line '\(BenchProcess.firstLine(downloaded))'")
            }
            try store.delete(keys.pipec)

            // pipec again, to a local file: what the export costs without S3.
            let file = try apply(fileSpecPath)
            let local = dir + "/out/" + keys.pipec
            let localBytes = (try? FileManager.default.attributesOfItem(atPath: local)[.size] as? Int) ?? nil
            guard localBytes == objectBytes else { throw BenchError("the export to a file wrote \(localBytes ?? 0) bytes, expected \(objectBytes)") }
            try FileManager.default.removeItem(atPath: local)
            fileTimes.append(file.seconds)
            filePeak = max(filePeak, Double(ChildApply.fields(file.stdout)["hwm_kib"] ?? "").map { $0 / 1024 } ?? 0)

            // 4. Baseline: the same bytes up with curl -T (one PUT).
            let put = try BenchProcess.check("curl -T", curl + ["-o", "/dev/null", "-T", downloaded, objectURL(keys.put)], measureRSS: true)
            guard let putInfo = try store.head(keys.put), Int(putInfo.size) == objectBytes else {
                throw BenchError("curl -T stored an object of the wrong size")
            }
            putTimes.append(put.seconds)
            putRSS = put.maxRSSMiB
            try store.delete(keys.put)

            // 5. Baseline: the same bytes as a multipart upload by curl, parts of pipec's size, sequential.
            try FileManager.default.createDirectory(atPath: partsDir, withIntermediateDirectories: true)
            try BenchProcess.check("split", ["split", "-b", String(8 << 20), "-d", "-a", "4", downloaded, partsDir + "/part."])
            try FileManager.default.removeItem(atPath: downloaded)
            parts = try FileManager.default.contentsOfDirectory(atPath: partsDir).count
            var multipartEnvironment = environment
            multipartEnvironment["CFG"] = curlConfig
            multipartEnvironment["URL"] = objectURL(keys.multipart)
            multipartEnvironment["PARTS"] = partsDir
            let multipart = try BenchProcess.check("curl multipart upload", ["bash", "-c", multipartScript], environment: multipartEnvironment)
            try FileManager.default.removeItem(atPath: partsDir)
            guard let multipartInfo = try store.head(keys.multipart), Int(multipartInfo.size) == objectBytes else {
                throw BenchError("the curl multipart upload stored an object of the wrong size")
            }
            multipartTimes.append(multipart.seconds)
            try store.delete(keys.multipart)

            // 6. Baseline: clickhouse-client's CSV streamed into curl -T - (chunked), the same job with standard tools.
            let pipeline = "set -o pipefail; clickhouse-client --port \(tcpPort) --query 'SELECT * FROM \(table) FORMAT CSVWithNames' "
                + "| curl -K '\(curlConfig)' -o /dev/null -T - '\(objectURL(keys.stream))'"
            let stream = try BenchProcess.check("clickhouse-client | curl -T -", ["bash", "-c", pipeline], measureRSS: true)
            guard let streamInfo = try store.head(keys.stream), Int(streamInfo.size) > objectBytes * 9 / 10 else {
                throw BenchError("clickhouse-client | curl stored no object, or a short one")
            }
            streamTimes.append(stream.seconds)
            streamBytes = Int(streamInfo.size)
            streamRSS = stream.maxRSSMiB
            try store.delete(keys.stream)
        }

        let pipec = benchMedian(pipecTimes), file = benchMedian(fileTimes), put = benchMedian(putTimes)
        let multipart = benchMedian(multipartTimes), stream = benchMedian(streamTimes)
        let peak = peaks.max() ?? 0
        func times(_ values: [Double]) -> String { values.count > 1 ? " (" + values.map(seconds).joined(separator: ", ") + ")" : "" }
        func rss(_ mib: Double) -> String { mib > 0 ? String(format: "peak RSS %.1f MiB", mib) : "peak RSS not measured (no /usr/bin/time)" }
        func rate(_ time: Double, _ bytes: Int = objectBytes) -> String { "\(mb(Double(bytes) / time)) MB/s" }
        say("pipec apply (export task, ClickHouse -> csv -> s3 multipart): \(seconds(pipec))\(times(pipecTimes)), "
            + "\(rate(pipec)), \(Int(Double(rows) / pipec)) rows/s; object \(mb(objectBytes)) MB, "
            + "\(rows + 1) lines, checked by HEAD and a download (GET \(seconds(getTime)))"
            + (objectBytes == expectedBytes ? "" : "; NOTE: ClickHouse's TSV length says \(expectedBytes) bytes"))
        say(String(format: "pipec peak RSS %.1f MiB (the child's VmHWM%@; %.1f MiB at start, before the apply; target < %.0f MB): %@",
                   peak, timePeak > 0 ? String(format: "; GNU time says %.1f MiB", timePeak) : "", startRSS, peakTargetMiB,
                   peak < peakTargetMiB ? "met" : "NOT met"))
        say("  split: the same export to a file resource (no S3): \(seconds(file))\(times(fileTimes)), \(rate(file)), "
            + String(format: "peak RSS %.1f MiB", filePeak))
        say("baseline curl --aws-sigv4 -T of the same bytes (one PUT): \(seconds(put))\(times(putTimes)), \(rate(put)), "
            + rss(putRSS))
        say("baseline curl multipart upload of the same bytes (\(parts) parts of 8 MiB, sequential, as pipec sends them): "
            + "\(seconds(multipart))\(times(multipartTimes)), \(rate(multipart))")
        say("baseline clickhouse-client FORMAT CSVWithNames | curl -T - (streamed): \(seconds(stream))\(times(streamTimes)), "
            + "\(rate(stream, streamBytes)) (\(mb(streamBytes)) MB, strings quoted), \(Int(Double(rows) / stream)) rows/s, "
            + rss(streamRSS))
        say(String(format: "throughput ratios: pipec/curl -T %.2f, pipec/curl multipart %.2f, pipec/(clickhouse-client | curl) rows/s %.2f",
                   put / pipec, multipart / pipec, stream / pipec))
    }

    static func scalar(_ client: ClickHouseClient, _ sql: String) -> String? {
        guard let rows = try? client.query(sql).1, let first = rows.first, let value = first.first else { return nil }
        return value
    }

    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
    static func mb(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }
    static func mb(_ bytesPerSecond: Double) -> String { String(format: "%.1f", bytesPerSecond / 1e6) }
}
