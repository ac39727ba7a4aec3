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
            ("poke_interval: 30s", "poke_interval: 1s"),
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

/// Issue 17.5: the seed checks once whether a day's file exists. With `timeout: 0s` the sensor pokes exactly once,
/// so a backfill of the spec's whole range (90 days, most without a file) takes seconds; with the old `timeout: 2m`
/// every missing day waited two minutes (3 hours in all).
@Suite(.serialized) struct AthenaBackfillTests {
    @Test func aBackfillOfTheWholeRangeChecksEachDayOnce() throws {
        let aws = AWSProbe(moto: try TestServices.moto())
        let bucket = "athena-" + UUID().uuidString.prefix(8).lowercased()
        try aws.run(["mkbucket", bucket])
        let days = ["2010-01-05", "2010-02-14", "2010-03-31"]
        for day in days {
            let p = day.split(separator: "-")
            try aws.put(bucket, "data/year=\(p[0])/month=\(p[1])/day=\(p[2])/data.csv", "\"\(day)\",\"an event\",\"en\",\"history\",\"day\"\n")
        }
        let c = try SeedCase("athena_partitions", environment: aws.environment.merging([
            "S3_ENDPOINT": aws.moto.endpoint, "ATHENA_ENDPOINT": aws.moto.endpoint,
        ]) { _, new in new }, edits: [("bucket: datacenternotes-athena", "bucket: \(bucket)")])
        let began = Date()
        try expectSuccess(c.apply(["--from", "2010-01-01", "--to", "2010-03-31"]))
        let seconds = Date().timeIntervalSince(began)
        #expect(seconds < 120, "the 90-day backfill took \(Int(seconds))s")
        #expect(try c.state("SELECT count(*), sum(status = 'skipped') FROM pipec_task_instances WHERE unit = 'check_for_new_files'") == "90|87")
        #expect(try c.state("SELECT logical_date FROM pipec_task_instances WHERE unit = 'update_partition' ORDER BY logical_date")
                == days.map { "\($0)T00:00:00Z" }.joined(separator: "\n"))
        #expect(try c.state("SELECT DISTINCT error FROM pipec_task_instances WHERE status = 'skipped'").contains("after 1 poke(s)"))
    }
}

/// Seed 000 on a current ClickHouse (chdb: the DWH tables use LowCardinality) against the Logs API stand-in.
@Suite(.serialized) struct AppMetricaSeedTests {
    static let reports: [(name: String, table: String, time: String, fields: String)] = [
        ("installations", "dwh.appmetrica_installations", "install_datetime",
         "application_id,installation_id,appmetrica_device_id,profile_id,install_datetime,install_receive_datetime,is_reinstallation,is_reattribution,match_type,tracker_name,tracking_id,publisher_name,click_datetime,os_name,os_version,device_manufacturer,device_model,country_iso_code,city,app_version_name"),
        ("events", "dwh.appmetrica_events", "event_datetime",
         "application_id,appmetrica_device_id,profile_id,session_id,event_name,event_json,event_datetime,event_receive_datetime,os_name,os_version,device_manufacturer,device_model,country_iso_code,city,app_version_name"),
        ("sessions_starts", "dwh.appmetrica_sessions_starts", "session_start_datetime",
         "application_id,appmetrica_device_id,profile_id,session_id,session_start_datetime,session_start_receive_datetime,os_name,os_version,device_manufacturer,device_model,country_iso_code,city,app_version_name"),
    ]

    func environment(_ api: AppMetricaServer, clickhouse: String, token: String = "test-token") -> [String: String?] {
        ["CLICKHOUSE_URL": clickhouse, "APPMETRICA_API_URL": api.url, "APPMETRICA_TOKEN": token, "APPMETRICA_APPLICATION_ID": "12345",
         "SLACK_WEBHOOK_URL": api.url + "/webhook"]
    }

    /// Per report and hour: rows in the DWH table against what the API says it has; no duplicates.
    func counts(_ clickhouse: String) throws -> [String] {
        try Self.reports.map { r in
            try ClickHouseReader.query(clickhouse, """
                SELECT '\(r.name)', toString(toStartOfHour(\(r.time))), count() FROM \(r.table) GROUP BY toStartOfHour(\(r.time)) ORDER BY 2
                """)
        }
    }

    @Test func hourlyReportsLandOnceEvenWhenTheAPIStumbles() throws {
        let clickhouse = try TestServices.modernClickHouseURL()
        try ClickHouseReader.dropDatabases(clickhouse, ["tmp", "dwh"])
        let api = try AppMetricaServer(arguments: ["--prepare-polls", "1"])
        let c = try SeedCase("appmetrica", environment: environment(api, clickhouse: clickhouse), edits: [("poke_interval: 60s", "poke_interval: 1s")])

        // Two consecutive hours; the API first answers 202 (preparing), then 200 with the report.
        try expectSuccess(c.apply(["--from", "2022-02-01T01:00:00Z", "--to", "2022-02-01T02:00:00Z"]))
        var expected: [String] = []
        for r in Self.reports {
            var lines: [String] = []
            for hour in ["01", "02"] {
                let n = try api.rows(report: r.name, fields: r.fields, hourStart: "2022-02-01 \(hour):00:00", hourEnd: "2022-02-01 \(hour == "01" ? "02" : "03"):00:00")
                if n > 0 { lines.append("\(r.name)|2022-02-01 \(hour):00:00|\(n)") }
            }
            expected.append(lines.joined(separator: "\n"))
        }
        #expect(expected.allSatisfy { !$0.isEmpty }, "the API has rows for these hours: \(expected)")
        #expect(try counts(clickhouse) == expected)

        // A rerun while the API fails twice with 503 and then throttles once: retried within the attempt, and the
        // tables end up exactly as before.
        try api.fail(#"{"status": 503, "count": 2}"#)
        try api.fail(#"{"status": 429, "count": 1}"#)
        let rerun = try c.apply(["--from", "2022-02-01T01:00:00Z", "--to", "2022-02-01T02:00:00Z", "--rerun"])
        try expectSuccess(rerun)
        #expect(try counts(clickhouse) == expected, "no duplicates after the rerun")
        #expect(try c.state("SELECT count(*) FROM pipec_task_instances WHERE status = 'failed'") == "0", "the API's errors were retried inside the attempts")

        // 03:00 is an empty hour: the short-circuit skips the fetch and everything after it.
        try expectSuccess(c.apply(["--ds", "2022-02-01T03:00:00Z"]))
        #expect(try counts(clickhouse) == expected)
        #expect(try c.state("SELECT status FROM pipec_task_instances WHERE unit = 'fetch_installations' AND logical_date = '2022-02-01T03:00:00Z'") == "skipped")
    }

    /// Issue 17.1: one report of the hour has zero rows. Its fetch and DWH insert are skipped; the other reports'
    /// groups, which only run after it (`sequential`), still load their rows, and nothing is recorded done that did
    /// not run: a later apply has nothing left to do and no hour is lost.
    @Test func anEmptyReportSkipsOnlyItsOwnGroup() throws {
        let clickhouse = try TestServices.modernClickHouseURL()
        try ClickHouseReader.dropDatabases(clickhouse, ["tmp", "dwh"])
        let api = try AppMetricaServer(arguments: ["--prepare-polls", "0", "--empty", "installations"])
        let c = try SeedCase("appmetrica", environment: environment(api, clickhouse: clickhouse), edits: [("poke_interval: 60s", "poke_interval: 1s")])
        try expectSuccess(c.apply(["--ds", "2022-02-01T01:00:00Z"]))
        var expected: [String] = []
        for r in Self.reports {
            let n = try api.rows(report: r.name, fields: r.fields, hourStart: "2022-02-01 01:00:00", hourEnd: "2022-02-01 02:00:00")
            expected.append(n > 0 ? "\(r.name)|2022-02-01 01:00:00|\(n)" : "")
        }
        #expect(expected[0] == "" && !expected[1].isEmpty && !expected[2].isEmpty, "\(expected)")
        #expect(try counts(clickhouse) == expected)
        #expect(try c.state("SELECT unit || '|' || status FROM pipec_intervals WHERE unit LIKE 'fetch_%' OR unit LIKE 'wait_%' ORDER BY unit")
                == "fetch_events|success\nfetch_installations|skipped\nfetch_sessions_starts|success\n"
                + "wait_events|success\nwait_installations|success\nwait_sessions_starts|success")
        let again = try c.apply(["--ds", "2022-02-01T01:00:00Z"])
        try expectSuccess(again)
        #expect(again.stdout.contains("nothing to do"), "\(again.transcript)")
    }

    @Test func aRefusedTokenFailsTheRunAndTellsSlack() throws {
        let clickhouse = try TestServices.modernClickHouseURL()
        let api = try AppMetricaServer()
        let c = try SeedCase("appmetrica", environment: environment(api, clickhouse: clickhouse, token: "wrong"),
                             edits: [("poke_interval: 60s", "poke_interval: 1s"), ("retry_delay: 5m", "retry_delay: 1s")])
        let r = try c.apply(["--ds", "2022-02-01T01:00:00Z"])
        #expect(r.exitCode == 1, "\(r.transcript)")
        #expect(r.output.contains("403"), "\(r.transcript)")
        let texts = try api.webhookTexts()
        #expect(texts.contains { $0.contains("wait_installations") && $0.contains("403") }, "\(texts)")
    }
}

/// Seed 004 on a current ClickHouse (chdb): yesterday's feed and messenger activity from a source database into
/// a star schema in another, with cross-database validation checks; a rerun must leave every table as it was.
@Suite(.serialized) struct StarSchemaSeedTests {
    static let sourceSetup = [
        "DROP DATABASE IF EXISTS star_src", "DROP DATABASE IF EXISTS star_dst", "CREATE DATABASE star_src",
        """
        CREATE TABLE star_src.feed_actions (user_id UInt32, post_id UInt32, action String, time DateTime, gender UInt8, age UInt8,
          os String, source String, country String, city String, exp_group UInt8) ENGINE = MergeTree ORDER BY time
        """,
        """
        CREATE TABLE star_src.message_actions (user_id UInt32, receiver_id UInt32, time DateTime, gender UInt8, age UInt8, os String,
          source String, country String, city String, exp_group UInt8) ENGINE = MergeTree ORDER BY time
        """,
        // About 2,300 feed actions and 1,400 messages a day from 2025-09-24 on, from 300 and 200 users.
        """
        INSERT INTO star_src.feed_actions SELECT (number * 7919) % 300 + 1, number % 50 + 1, if(number % 4 = 0, 'like', 'view'),
          toDateTime('2025-09-24 00:00:00', 'UTC') + number * 37, (number * 7919) % 300 % 2, 18 + (number * 7919) % 300 % 40,
          if((number * 7919) % 300 % 3 = 0, 'iOS', 'Android'), if((number * 7919) % 300 % 5 = 0, 'ads', 'organic'), 'Russia',
          concat('City ', toString((number * 7919) % 300 % 10)), (number * 7919) % 300 % 5 FROM numbers(20000)
        """,
        """
        INSERT INTO star_src.message_actions SELECT (number * 104729) % 200 + 1, (number * 31) % 200 + 1,
          toDateTime('2025-09-24 00:00:00', 'UTC') + number * 61, (number * 104729) % 200 % 2, 20 + (number * 104729) % 200 % 30,
          'iOS', 'organic', 'Russia', 'Moscow', 1 FROM numbers(12000)
        """,
    ]

    /// What the facts must hold per loaded day, computed from the source with plain SQL.
    static let expectations: [(table: String, perDay: String)] = [
        ("fact_daily_feed", "SELECT toString(toDate(time)) AS d, uniqExact(user_id) FROM star_src.feed_actions"),
        ("fact_daily_posts", "SELECT toString(toDate(time)) AS d, uniqExact(post_id) FROM star_src.feed_actions"),
        ("fact_user_connections", "SELECT toString(toDate(time)) AS d, uniqExact(user_id, receiver_id) FROM star_src.message_actions"),
    ]

    @Test func twoDaysLoadValidateAndRerunWithoutDuplicates() throws {
        let ch = try TestServices.modernClickHouseURL()
        for statement in Self.sourceSetup { _ = try ClickHouseReader.query(ch, statement) }
        let c = try SeedCase("star_schema", environment: [
            "SRC_CLICKHOUSE_URL": ch, "DST_CLICKHOUSE_URL": ch, "SRC_DATABASE": "star_src", "DST_DATABASE": "star_dst",
            "SMTP_URL": "smtp://127.0.0.1:9",
        ])
        // airflow3 semantics: the run of ds loads the day before it.
        try expectSuccess(c.apply(["--ds", "2025-09-26"]))
        try expectSuccess(c.apply(["--ds", "2025-09-27"]))
        for e in Self.expectations {
            let expected = try ClickHouseReader.query(ch, "\(e.perDay) WHERE d IN ('2025-09-25', '2025-09-26') GROUP BY d ORDER BY d")
            let loaded = try ClickHouseReader.query(ch, "SELECT toString(date) AS d, count() FROM star_dst.\(e.table) GROUP BY d ORDER BY d")
            #expect(loaded == expected, "\(e.table) per day")
            #expect(expected.split(separator: "\n").count == 2)
        }
        #expect(try ClickHouseReader.query(ch, "SELECT count(), uniqExact(user_id) FROM star_dst.dim_users FINAL")
                == ClickHouseReader.query(ch, "SELECT uniqExact(user_id), uniqExact(user_id) FROM star_src.feed_actions WHERE toDate(time) IN ('2025-09-25', '2025-09-26')"
                                          + " OR user_id IN (SELECT user_id FROM star_src.message_actions WHERE toDate(time) IN ('2025-09-25', '2025-09-26'))"))
        #expect(try ClickHouseReader.query(ch, "SELECT count() FROM star_dst.dim_dates") == "730")
        #expect(try ClickHouseReader.query(ch, "SELECT count() > 0 FROM star_dst.mv_feed_daily_activity WHERE date = '2025-09-26'") == "1",
                "the materialized view filled as the facts were loaded")
        #expect(try c.state("SELECT count(*) FROM pipec_check_results WHERE status NOT IN ('pass', 'passed')") == "0")

        let fingerprint = "SELECT count(), sum(cityHash64(*)) FROM "
        let tables = ["fact_daily_feed", "fact_daily_posts", "fact_daily_messenger", "fact_user_connections"]
        let before = try tables.map { try ClickHouseReader.query(ch, fingerprint + "star_dst.\($0)") }
        try expectSuccess(c.apply(["--ds", "2025-09-26", "--rerun"]))
        try expectSuccess(c.apply(["--ds", "2025-09-27", "--rerun"]))
        #expect(try tables.map { try ClickHouseReader.query(ch, fingerprint + "star_dst.\($0)") } == before, "reruns change nothing")
    }
}

extension StarSchemaSeedTests {
    /// Issue 17.3: `load_mode=migration` loaded every day up to yesterday but its delete removed only yesterday, so
    /// running it twice, or after daily loads, duplicated every earlier day. Rows outside the load's interval are bad
    /// rows now: the migration fails before anything reaches the facts, and the initial load is a backfill, whose
    /// every day replaces exactly what it loads, however often it runs.
    @Test func theInitialMigrationNeverDuplicatesADay() throws {
        let ch = try TestServices.modernClickHouseURL()
        for statement in Self.sourceSetup { _ = try ClickHouseReader.query(ch, statement) }
        let c = try SeedCase("star_schema", environment: [
            "SRC_CLICKHOUSE_URL": ch, "DST_CLICKHOUSE_URL": ch, "SRC_DATABASE": "star_src", "DST_DATABASE": "star_dst",
            "SMTP_URL": "smtp://127.0.0.1:9",
        ], edits: [("retries: 3", "retries: 0"), ("retries: 2", "retries: 0")])
        // The initial load as a backfill (each run loads the day before its ds), then the last day again.
        try expectSuccess(c.apply(["--from", "2025-09-25", "--to", "2025-09-27"]))
        try expectSuccess(c.apply(["--ds", "2025-09-27", "--rerun"]))
        func perDay() throws -> [String] {
            try Self.expectations.map { e in try ClickHouseReader.query(ch, "SELECT toString(date) AS d, count() FROM star_dst.\(e.table) GROUP BY d ORDER BY d") }
        }
        let expected = try Self.expectations.map { e in
            try ClickHouseReader.query(ch, "\(e.perDay) WHERE d IN ('2025-09-24', '2025-09-25', '2025-09-26') GROUP BY d ORDER BY d")
        }
        #expect(try perDay() == expected)
        // A migration after those loads used to add every earlier day again; now its load fails before the facts.
        let migration = try c.apply(["--ds", "2025-09-27", "--rerun", "--param", "load_mode=migration"])
        #expect(migration.exitCode == 1, "\(migration.transcript)")
        #expect(migration.stdout.contains("lies outside the interval"), "\(migration.transcript)")
        #expect(try perDay() == expected, "nothing counted twice")
    }

    /// A load failing for good (its source table is missing) e-mails the team: checked with a local SMTP sink.
    @Test func aFailedLoadSendsTheFailureEmail() throws {
        let ch = try TestServices.modernClickHouseURL()
        let mails = NSTemporaryDirectory() + "pipec-mail-" + UUID().uuidString + ".jsonl"
        defer { unlink(mails) }
        let sink = try ChildProcess("python3", [PackagePaths.root.appendingPathComponent("Tests/Servers/smtp_sink.py").path, "--port", "0", "--out", mails])
        defer { sink.killHard() }
        #expect(sink.waitForOutput(containing: "\n", limit: 30))
        let port = sink.stdoutSoFar.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try ClickHouseReader.query(ch, "CREATE DATABASE IF NOT EXISTS star_empty")
        let c = try SeedCase("star_schema", environment: [
            "SRC_CLICKHOUSE_URL": ch, "DST_CLICKHOUSE_URL": ch, "SRC_DATABASE": "star_empty", "DST_DATABASE": "star_dst_mail",
            "SMTP_URL": "smtp://127.0.0.1:\(port)", "ALERT_EMAIL": "analytics@example.com",
        ], edits: [("retries: 3", "retries: 0"), ("retries: 2", "retries: 0")])
        let r = try c.apply(["--ds", "2025-09-26", "--only", "load_users"])
        #expect(r.exitCode == 1, "\(r.transcript)")
        let lines = ((try? String(contentsOfFile: mails, encoding: .utf8)) ?? "").split(separator: "\n")
        let messages = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(messages.count == 1, "one failure, one e-mail: \(lines)")
        let mail = messages.first ?? [:]
        #expect(mail["to"] as? [String] == ["analytics@example.com"])
        let data = mail["data"] as? String ?? ""
        #expect(data.contains("load_users") && data.contains("2025-09-26") && data.contains("feed_actions") && data.contains("log: pipec runs"), "task, interval, error and where the log is: \(data)")
    }
}

/// Seed 002 on a current ClickHouse (chdb) with S3 on moto and Aurora on PostgreSQL: two hours through bronze,
/// silver (quarantine, dedup, SCD2), gold, the quality gate, Parquet on S3 and the upsert into PostgreSQL, then
/// both hours again. Checked with curl, psql, boto3 and pyarrow.
@Suite(.serialized) struct MedallionSeedTests {
    @Test func twoHoursFlowFromBronzeToS3AndPostgresAndRerunCleanly() throws {
        let ch = try TestServices.modernClickHouseURL()
        let aws = AWSProbe(moto: try TestServices.moto())
        let db = try TestDatabase()
        let bucket = "medallion-" + UUID().uuidString.prefix(8).lowercased()
        try aws.run(["mkbucket", bucket])
        try ClickHouseReader.dropDatabases(ch, ["bronze", "silver", "gold", "catalog"])
        let c = try SeedCase("medallion", environment: aws.environment.merging([
            "CLICKHOUSE_URL": ch, "AURORA_DSN": db.url, "S3_ENDPOINT": aws.moto.endpoint, "GOLD_EXPORT_S3_BUCKET": bucket,
            "SMTP_URL": "smtp://127.0.0.1:9",
        ]) { _, new in new })
        let hours = ["--from", "2025-01-01T10:00:00Z", "--to", "2025-01-01T11:00:00Z"]
        try expectSuccess(c.apply(hours))

        func snapshot() throws -> [String] {
            [
                // bronze keeps every generated event of both hours (5,000 an hour, params.events_per_hour).
                try ClickHouseReader.query(ch, "SELECT toHour(event_time), count() FROM bronze.stg_events GROUP BY 1 ORDER BY 1"),
                // Every bronze row is a silver event (deduplicated) or a quarantined one with a reason.
                try ClickHouseReader.query(ch, "SELECT count() FROM silver.fact_events FINAL"),
                try ClickHouseReader.query(ch, "SELECT count(), countIf(rejection_reason = '') FROM silver.quarantine_events"),
                try ClickHouseReader.query(ch, "SELECT count() = uniqExact(event_id) FROM silver.fact_events FINAL"),
                try ClickHouseReader.query(ch, "SELECT sum(event_count) FROM gold.agg_events_hourly FINAL WHERE event_date = '2025-01-01'"),
                try db.psql("SELECT count(*), sum(event_count) FROM public.agg_events_hourly WHERE event_date = '2025-01-01'"),
                try db.psql("SELECT event_date, total_events FROM public.rpt_daily_summary"),
            ]
        }
        let first = try snapshot()
        #expect(first[0] == "10|5000\n11|5000")
        let silver = Int(first[1]) ?? -1, quarantined = Int(first[2].split(separator: "|")[0]) ?? -1
        #expect(silver > 0 && quarantined > 0)
        #expect(first[2].hasSuffix("|0"), "every quarantined row says why")
        #expect(first[3] == "1", "silver has no duplicate events")
        #expect(first[5].hasSuffix("|" + first[4]), "PostgreSQL received gold's hourly KPIs: \(first[4]) vs \(first[5])")
        #expect(first[6] == "2025-01-01|\(first[4])")

        // The Parquet objects, read with pyarrow: gold's rows for the day, event_date in the key rather than the file.
        let objects = try aws.list(bucket)
        let hourlyKey = "medallion/gold/agg_events_hourly/event_date=2025-01-01/data.parquet"
        #expect(Set(objects.keys) == [hourlyKey, "medallion/gold/rpt_daily_summary/event_date=2025-01-01/data.parquet"], "\(objects)")
        let parquet = try ParquetProbe.read(try aws.getBytes(bucket, hourlyKey))
        #expect(parquet.columns == ["event_hour", "category", "source", "event_count", "revenue_events", "total_value", "updated_at"])
        #expect(parquet.types.first == "int32" && parquet.types[3] == "uint64" && parquet.types[5].hasPrefix("decimal128(18, 2)"), "\(parquet.types)")
        #expect(String(parquet.sums["event_count"] ?? -1) == first[4])
        #expect(parquet.rows == Int(first[5].split(separator: "|")[0]))

        try expectSuccess(c.apply(hours + ["--rerun"]))
        #expect(try snapshot() == first, "a rerun of both hours leaves every layer and PostgreSQL as they were")
        #expect(try ParquetProbe.read(try aws.getBytes(bucket, hourlyKey)).rows == parquet.rows)
    }
}

/// A Parquet file as pyarrow (the tools venv) reads it: row count, column names and Arrow types, integer sums.
struct ParquetProbe: Decodable {
    var rows: Int
    var columns: [String]
    var types: [String]
    var sums: [String: Int]

    static func read(_ bytes: Data) throws -> ParquetProbe {
        let file = NSTemporaryDirectory() + "pipec-parquet-" + UUID().uuidString + ".parquet"
        try bytes.write(to: URL(fileURLWithPath: file))
        defer { unlink(file) }
        let venv = try ChildProcess.run("bash", [PackagePaths.root.appendingPathComponent("scripts/python-tools.sh").path], limit: 900)
        guard venv.exitCode == 0 else { throw TestFailure("scripts/python-tools.sh failed: \(venv.output)") }
        let python = venv.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/bin/python"
        let script = """
            import json, sys, pyarrow.parquet as pq, pyarrow.compute as pc, pyarrow as pa
            t = pq.read_table(sys.argv[1])
            sums = {n: int(pc.sum(t[n]).as_py() or 0) for n in t.column_names if pa.types.is_integer(t.schema.field(n).type)}
            print(json.dumps({"rows": t.num_rows, "columns": t.column_names, "types": [str(x) for x in t.schema.types], "sums": sums}))
            """
        let r = try ChildProcess.run(python, ["-c", script, file])
        guard r.exitCode == 0 else { throw TestFailure("pyarrow could not read the file: \(r.output)") }
        return try JSONDecoder().decode(ParquetProbe.self, from: Data(r.stdout.utf8))
    }
}
