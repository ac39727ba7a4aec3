import Foundation
import PipecTestSupport
import Testing

/// The seed pipelines of specs/ applied end to end against real servers for two consecutive intervals, then again
/// (a rerun must change nothing), with every result read back by an independent client.
@Suite struct SeedTests {
    /// Seed 001: yesterday's rows of each CrateDB table (PostgreSQL wire) as JSON lines under date-suffixed S3
    /// prefixes. Checked with boto3: one object per day with exactly that day's rows.
    @Test func crateDBExportWritesYesterdaysRowsToS3() throws {
        let db = try TestDatabase()
        let aws = AWSProbe(moto: try TestServices.moto())
        let bucket = "crate-" + UUID().uuidString.prefix(8).lowercased()
        try aws.run(["mkbucket", bucket])
        _ = try db.psql("""
            CREATE SCHEMA doc;
            CREATE TABLE doc.metrics (hash_id bigint, "timestamp" timestamptz, name text, tags json, fields json, month timestamp);
            INSERT INTO doc.metrics VALUES
              (1, '2021-11-10 05:00:00+00', 'cpu', '{"host": "a"}', '{"v": 1.5}', '2021-10-01'),
              (2, '2021-11-10 12:30:00+00', 'mem', '{"host": "b"}', '{"v": 2}', '2021-10-01'),
              (3, '2021-11-10 23:59:59+00', 'cpu', '{"host": "a, \\"quoted\\""}', '{"v": null}', '2021-10-01'),
              (4, '2021-11-11 00:00:00+00', 'disk', '{}', '{"v": 4}', '2021-10-01'),
              (5, '2021-11-11 18:00:00+00', 'cpu', '{"host": "c"}', '{"v": 5}', '2021-10-01'),
              (6, '2021-11-12 09:00:00+00', 'cpu', '{"host": "d"}', '{"v": 6}', '2021-10-01');
            """)
        let c = try SeedCase("cratedb_export", environment: aws.environment.merging([
            "CRATEDB_DSN": db.url, "S3_ENDPOINT": aws.moto.endpoint, "ACCESS_KEY_ID": aws.moto.accessKey, "SECRET_ACCESS_KEY": aws.moto.secretKey,
        ]) { _, new in new }, edits: [("bucket: crate-astro-tutorial", "bucket: \(bucket)")])

        try expectSuccess(c.apply(["--from", "2021-11-11", "--to", "2021-11-12"]))
        let expected = ["metrics-2021-11-10/metrics_20211110.json": [1, 2, 3], "metrics-2021-11-11/metrics_20211111.json": [4, 5]]
        func check() throws -> [String: String] {
            let objects = try aws.list(bucket)
            #expect(Set(objects.keys) == Set(expected.keys), "\(objects)")
            var contents: [String: String] = [:]
            for (key, ids) in expected {
                let text = try aws.get(bucket, key)
                contents[key] = text
                let lines = text.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                #expect(lines.allSatisfy { $0 != nil }, "every line of \(key) is a JSON object")
                let hashIDs = lines.compactMap { $0?["hash_id"] as? Int }
                #expect(hashIDs == ids, "\(key): numbers stay numbers: \(text)")
                #expect(lines.allSatisfy { $0?["tags"] is [String: Any] && $0?["name"] is String }, "json columns stay JSON: \(text)")
            }
            return contents
        }
        let first = try check()
        try expectSuccess(c.apply(["--from", "2021-11-11", "--to", "2021-11-12", "--rerun"]))
        #expect(try check() == first, "a rerun writes the same objects again")
    }

    /// Seed 003: a day's S3 folder becomes an Athena partition only when its data.csv exists; a day without one is
    /// skipped (soft_fail), not failed, and later days still run (depends_on_past counts skipped as done).
    @Test func athenaPartitionsAreAddedForDaysWithFiles() throws {
        let aws = AWSProbe(moto: try TestServices.moto())
        let bucket = "athena-" + UUID().uuidString.prefix(8).lowercased()
        try aws.run(["mkbucket", bucket])
        for day in ["01", "03"] {
            try aws.put(bucket, "data/year=2010/month=01/day=\(day)/data.csv", "\"2010-01-\(day)\",\"an event\",\"en\",\"history\",\"day\"\n")
        }
        let c = try SeedCase("athena_partitions", environment: aws.environment.merging([
            "S3_ENDPOINT": aws.moto.endpoint, "ATHENA_ENDPOINT": aws.moto.endpoint,
        ]) { _, new in new }, edits: [
            ("bucket: datacenternotes-athena", "bucket: \(bucket)"),
            ("poke_interval: 30s", "poke_interval: 1s"), ("timeout: 2m", "timeout: 3s"),
        ])
        try expectSuccess(c.apply(["--from", "2010-01-01", "--to", "2010-01-02"]))
        try expectSuccess(c.apply(["--ds", "2010-01-03"]))
        func partitions() throws -> [String] {
            try aws.athenaQueries(region: "eu-central-1").compactMap(\.query).filter { $0.contains("ADD IF NOT EXISTS PARTITION") && $0.contains(bucket) }
                .map { q in ["01", "02", "03"].first { q.contains("day = '\($0)'") } ?? "?" }.sorted()
        }
        #expect(try partitions() == ["01", "03"])
        #expect(try aws.athenaQueries(region: "eu-central-1").contains { ($0.query ?? "").contains("CREATE EXTERNAL TABLE IF NOT EXISTS historydb.events_table") && $0.database == "historydb" })
        #expect(try c.state("SELECT logical_date, status FROM pipec_task_instances WHERE unit = 'check_for_new_files' ORDER BY logical_date")
                == "2010-01-01T00:00:00Z|success\n2010-01-02T00:00:00Z|skipped\n2010-01-03T00:00:00Z|success")
        #expect(try c.state("SELECT logical_date, status FROM pipec_task_instances WHERE unit = 'update_partition' ORDER BY logical_date")
                == "2010-01-01T00:00:00Z|success\n2010-01-03T00:00:00Z|success", "the day without a file never adds a partition")
        try expectSuccess(c.apply(["--from", "2010-01-01", "--to", "2010-01-03", "--rerun"]))
        #expect(try partitions() == ["01", "01", "03", "03"], "the rerun registers the same two days again (IF NOT EXISTS)")
    }
}
