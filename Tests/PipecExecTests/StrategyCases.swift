import PipecTestSupport
import Foundation
import Testing

/// How a test reads what pipec wrote, independently of pipec: the sqlite3 CLI or psql, naming a spec table as that
/// dialect does (SQLite keeps `bronze.events` as one quoted name; PostgreSQL reads it as schema.table).
struct TableReader: Sendable {
    let table: @Sendable (String) -> String
    let run: @Sendable (String) throws -> String

    static func sqlite(_ c: ApplyCase) -> TableReader {
        TableReader(table: { "\"\($0)\"" }, run: { try c.sqlite($0) })
    }

    static func postgres(_ db: TestDatabase) -> TableReader {
        TableReader(table: { $0 }, run: { try db.psql($0) })
    }

    /// ClickHouse over curl; ReplacingMergeTree tables are read `FINAL`, as their users read them.
    static func clickhouse(_ url: String, final: Set<String>) -> TableReader {
        TableReader(table: { final.contains($0) ? "\($0) FINAL" : $0 }, run: { try ClickHouseReader.query(url, $0) })
    }
}

/// One build strategy of `Tests/Fixtures/apply/strategies`: the table built with it, a query that dumps it in a
/// form both dialects print alike, and its contents after the three days.
struct StrategyCase: Sendable, CustomTestStringConvertible {
    var strategy: String
    var table: String
    /// `SELECT ... FROM $T ...`, `$T` standing for the table.
    var dump: String
    var expected: [String]
    /// Whether rerunning an older interval on its own leaves the table as it was. Not for upsert: it merges the
    /// older interval's values over the newer ones, by definition.
    var olderIntervalRerunIsExact = true

    var testDescription: String { strategy }

    static let days = ["2025-01-01", "2025-01-02", "2025-01-03"]

    /// Every event of the three CSV files; the interval strategies copy them day by day.
    static let events = [
        "1|u1|free|1050|2025-01-01 08:00:00", "2|u2|free|325|2025-01-01 09:30:00", "3|u1|free|100|2025-01-01 23:59:59",
        "4|u4|pro|700|2025-01-01 12:00:00", "5|u1|pro|2000|2025-01-02 00:00:00", "6|u3|free|250|2025-01-02 10:00:00",
        "7|u2|free|400|2025-01-02 11:00:00", "8|u4|free|100|2025-01-02 13:00:00", "9|u1|free|500|2025-01-03 07:00:00",
        "10|u3|pro|600|2025-01-03 08:00:00", "11|u2|free|175|2025-01-03 09:00:00",
    ]
    static let eventsDump = "SELECT event_id, user_id, plan, CAST(amount * 100 AS INTEGER), event_time FROM $T ORDER BY event_id"

    static let all: [StrategyCase] = [
        StrategyCase(strategy: "full", table: "agg.user_totals",
                     dump: "SELECT user_id, events, CAST(amount * 100 AS INTEGER) FROM $T ORDER BY user_id",
                     expected: ["u1|4|3650", "u2|3|900", "u3|2|850", "u4|2|800"]),
        StrategyCase(strategy: "append", table: "copy.events_append", dump: eventsDump, expected: events),
        StrategyCase(strategy: "replace_interval", table: "copy.events_replace", dump: eventsDump, expected: events),
        StrategyCase(strategy: "upsert", table: "dim.users_latest", dump: "SELECT user_id, plan, last_seen FROM $T ORDER BY user_id",
                     expected: ["u1|free|2025-01-03 07:00:00", "u2|free|2025-01-03 09:00:00", "u3|pro|2025-01-03 08:00:00",
                                "u4|free|2025-01-02 13:00:00"],
                     olderIntervalRerunIsExact: false),
        // u1 goes free -> pro -> free, u3 appears on the second day, u4 is missing on the third (and stays current).
        StrategyCase(strategy: "scd2", table: "dim.users_history",
                     dump: """
                         SELECT user_id, plan, valid_from, coalesce(CAST(valid_to AS TEXT), '-'), CASE WHEN is_current THEN 1 ELSE 0 END
                         FROM $T ORDER BY user_id, valid_from
                         """,
                     expected: [
                         "u1|free|2025-01-01 00:00:00|2025-01-02 00:00:00|0", "u1|pro|2025-01-02 00:00:00|2025-01-03 00:00:00|0",
                         "u1|free|2025-01-03 00:00:00|-|1", "u2|free|2025-01-01 00:00:00|-|1",
                         "u3|free|2025-01-02 00:00:00|2025-01-03 00:00:00|0", "u3|pro|2025-01-03 00:00:00|-|1",
                         "u4|pro|2025-01-01 00:00:00|2025-01-02 00:00:00|0", "u4|free|2025-01-02 00:00:00|-|1",
                     ]),
    ]

    /// Applies the first two days, then the third in a second apply; checks the contents; then reruns all three days,
    /// one older day and the last day, each of which must leave the table exactly as it was (no duplicates, nothing
    /// lost), by count and by an ordered dump.
    /// The dump as ClickHouse writes it (no CAST to INTEGER or TEXT, booleans are UInt8, NULL prints as `\\N`).
    var clickhouseDump: String {
        switch strategy {
        case "full": return "SELECT user_id, events, toInt64(round(amount * 100)) FROM $T ORDER BY user_id"
        case "scd2":
            return "SELECT user_id, plan, valid_from, ifNull(toString(valid_to), '-'), is_current FROM $T ORDER BY user_id, valid_from"
        case "upsert": return dump
        default: return "SELECT event_id, user_id, plan, toInt64(round(amount * 100)), event_time FROM $T ORDER BY event_id"
        }
    }

    func verify(spec: String, on c: ApplyCase, extra: [String] = [], read: TableReader, dump: String? = nil) throws {
        let dump = dump ?? self.dump
        let only = ["--only", "load_events", table] + extra
        try expectSuccess(c.apply(spec, ["--from", Self.days[0], "--to", Self.days[1]] + only))
        try expectSuccess(c.apply(spec, ["--ds", Self.days[2]] + only))
        let dumpSQL = dump.replacingOccurrences(of: "$T", with: read.table(table))
        let countSQL = "SELECT count(*) FROM \(read.table(table))"
        let built = try read.run(dumpSQL)
        #expect(built == expected.joined(separator: "\n"), "\(strategy): \(table) after three days")
        #expect(try read.run(countSQL) == String(expected.count))
        #expect(try read.run("SELECT count(*) FROM \(read.table("bronze.events"))") == String(Self.events.count))

        var reruns: [[String]] = [["--from", Self.days[0], "--to", Self.days[2]], ["--ds", Self.days[2]]]
        if olderIntervalRerunIsExact { reruns.insert(["--ds", Self.days[1]], at: 1) }
        for rerun in reruns {
            try expectSuccess(c.apply(spec, rerun + ["--rerun"] + only))
            #expect(try read.run(countSQL) == String(expected.count), "\(strategy): row count after --rerun \(rerun.joined(separator: " "))")
            #expect(try read.run(dumpSQL) == built, "\(strategy): contents after --rerun \(rerun.joined(separator: " "))")
        }
    }
}

/// Requires a pipec run to have exited 0, showing its output otherwise.
func expectSuccess(_ r: ChildProcess.Result, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try #require(r.exitCode == 0, "pipec failed:\n\(r.transcript)", sourceLocation: sourceLocation)
}
