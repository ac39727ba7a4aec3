import PipecDiagnostics
import PipecSchedule
@testable import PipecTemplate
import Testing

/// The rendered strings of shared/notes/airflow.md section 2 (real Airflow 2.10.5 + pendulum 3.3 and Airflow 3.3),
/// reproduced from `RunTimes` built directly.
@Suite("Airflow context")
struct AirflowContextTests {
    private func renderRun(_ run: RunTimes, _ source: String, zone dagZone: String = "UTC") throws -> String {
        var run = run
        run.zone = Zone(identifier: dagZone)!
        return try render(source, AirflowContext.globals(for: run, params: [:], dagId: "pipec_test"))
    }

    static let mainTable: [(template: String, a2: String, a3Trigger: String, a3Interval: String)] = [
        ("{{ ds }}", "2025-03-01", "2025-03-01", "2025-03-01"),
        ("{{ ds_nodash }}", "20250301", "20250301", "20250301"),
        ("{{ ts }}", "2025-03-01T03:00:00+00:00", "2025-03-01T03:00:00+00:00", "2025-03-01T03:00:00+00:00"),
        ("{{ ts_nodash }}", "20250301T030000", "20250301T030000", "20250301T030000"),
        ("{{ ts_nodash_with_tz }}", "20250301T030000+0000", "20250301T030000+0000", "20250301T030000+0000"),
        ("{{ logical_date }}", "2025-03-01 03:00:00+00:00", "2025-03-01 03:00:00+00:00", "2025-03-01 03:00:00+00:00"),
        ("{{ data_interval_start }}", "2025-03-01 03:00:00+00:00", "2025-03-01 03:00:00+00:00", "2025-03-01 03:00:00+00:00"),
        ("{{ data_interval_end }}", "2025-03-02 03:00:00+00:00", "2025-03-01 03:00:00+00:00", "2025-03-02 03:00:00+00:00"),
        ("{{ prev_ds }}", "2025-02-28", "E502", "E502"),
        ("{{ next_ds }}", "2025-03-02", "E502", "E502"),
        ("{{ yesterday_ds }}", "2025-02-28", "E502", "E502"),
        ("{{ tomorrow_ds }}", "2025-03-02", "E502", "E502"),
        ("{{ macros.ds_add(ds, -1) }}", "2025-02-28", "2025-02-28", "2025-02-28"),
        ("{{ macros.ds_format(ds, '%Y-%m-%d', '%d/%m/%Y') }}", "01/03/2025", "01/03/2025", "01/03/2025"),
        ("{{ logical_date.strftime('%Y') }}", "2025", "2025", "2025"),
        ("{{ data_interval_end | ds }}", "2025-03-02", "2025-03-01", "2025-03-02"),
        ("{{ run_id }}", "scheduled__2025-03-01T03:00:00+00:00", "scheduled__2025-03-01T03:00:00+00:00", "scheduled__2025-03-02T03:00:00+00:00"),
    ]

    @Test(arguments: mainTable.indices)
    func mainTableRow(_ i: Int) throws {
        let row = Self.mainTable[i]
        let logical = instant("2025-03-01T03:00:00Z")
        let next = instant("2025-03-02T03:00:00Z")
        let a2 = RunTimes(semantics: .airflow2, logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: next, runAfter: next,
                          previousLogicalDate: instant("2025-02-28T03:00:00Z"), nextLogicalDate: next,
                          runId: "scheduled__2025-03-01T03:00:00+00:00")
        let a3Trigger = RunTimes(semantics: .airflow3, logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: logical,
                                 runAfter: logical, previousLogicalDate: nil, nextLogicalDate: nil, runId: "scheduled__2025-03-01T03:00:00+00:00")
        let a3Interval = RunTimes(semantics: .airflow3, logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: next,
                                  runAfter: next, previousLogicalDate: nil, nextLogicalDate: nil, runId: "scheduled__2025-03-02T03:00:00+00:00")
        for (run, expected) in [(a2, row.a2), (a3Trigger, row.a3Trigger), (a3Interval, row.a3Interval)] {
            if expected.hasPrefix("E") {
                let d = failure(row.template, AirflowContext.globals(for: run, params: [:], dagId: "d"))
                #expect(d?.code == expected, "\(row.template) under \(run.semantics)")
            } else {
                #expect(try renderRun(run, row.template) == expected, "\(row.template) under \(run.semantics)")
            }
        }
    }

    struct MoreRun: Sendable {
        var zone: String
        var ts: String
        var ds: String
        var end: String          // data_interval_end as rendered
        var prevNextYesterdayTomorrow: String
        var previous: String     // the previous schedule point's logical date (the schedule computes it)
        var next: String
    }

    static let moreRuns: [MoreRun] = [
        .init(zone: "UTC", ts: "2024-02-29T03:00:00Z", ds: "2024-02-29", end: "2024-03-01 03:00:00+00:00",
              prevNextYesterdayTomorrow: "2024-02-28 / 2024-03-01 / 2024-02-28 / 2024-03-01", previous: "2024-02-28T03:00:00Z", next: "2024-03-01T03:00:00Z"),
        .init(zone: "UTC", ts: "2025-12-31T03:00:00Z", ds: "2025-12-31", end: "2026-01-01 03:00:00+00:00",
              prevNextYesterdayTomorrow: "2025-12-30 / 2026-01-01 / 2025-12-30 / 2026-01-01", previous: "2025-12-30T03:00:00Z", next: "2026-01-01T03:00:00Z"),
        .init(zone: "UTC", ts: "2025-03-01T05:00:00Z", ds: "2025-03-01", end: "2025-03-01 06:00:00+00:00",
              prevNextYesterdayTomorrow: "2025-03-01 / 2025-03-01 / 2025-02-28 / 2025-03-02", previous: "2025-03-01T04:00:00Z", next: "2025-03-01T06:00:00Z"),
        .init(zone: "UTC", ts: "2024-02-29T23:00:00Z", ds: "2024-02-29", end: "2024-03-01 00:00:00+00:00",
              prevNextYesterdayTomorrow: "2024-02-29 / 2024-03-01 / 2024-02-28 / 2024-03-01", previous: "2024-02-29T22:00:00Z", next: "2024-03-01T00:00:00Z"),
        .init(zone: "UTC", ts: "2025-12-31T23:00:00Z", ds: "2025-12-31", end: "2026-01-01 00:00:00+00:00",
              prevNextYesterdayTomorrow: "2025-12-31 / 2026-01-01 / 2025-12-30 / 2026-01-01", previous: "2025-12-31T22:00:00Z", next: "2026-01-01T00:00:00Z"),
        .init(zone: "Europe/Amsterdam", ts: "2025-03-29T02:00:00Z", ds: "2025-03-29", end: "2025-03-30 01:00:00+00:00",
              prevNextYesterdayTomorrow: "2025-03-28 / 2025-03-30 / 2025-03-28 / 2025-03-30", previous: "2025-03-28T02:00:00Z", next: "2025-03-30T01:00:00Z"),
        .init(zone: "Europe/Amsterdam", ts: "2025-03-30T01:00:00Z", ds: "2025-03-30", end: "2025-03-31 01:00:00+00:00",
              prevNextYesterdayTomorrow: "2025-03-29 / 2025-03-31 / 2025-03-29 / 2025-03-31", previous: "2025-03-29T02:00:00Z", next: "2025-03-31T01:00:00Z"),
        .init(zone: "Europe/Amsterdam", ts: "2025-03-31T01:00:00Z", ds: "2025-03-31", end: "2025-04-01 01:00:00+00:00",
              prevNextYesterdayTomorrow: "2025-03-30 / 2025-04-01 / 2025-03-30 / 2025-04-01", previous: "2025-03-30T01:00:00Z", next: "2025-04-01T01:00:00Z"),
        .init(zone: "Europe/Amsterdam", ts: "2025-03-28T23:00:00Z", ds: "2025-03-28", end: "2025-03-29 23:00:00+00:00",
              prevNextYesterdayTomorrow: "2025-03-27 / 2025-03-29 / 2025-03-27 / 2025-03-29", previous: "2025-03-27T23:00:00Z", next: "2025-03-29T23:00:00Z"),
        .init(zone: "Europe/Amsterdam", ts: "2025-03-29T23:00:00Z", ds: "2025-03-29", end: "2025-03-30 22:00:00+00:00",
              prevNextYesterdayTomorrow: "2025-03-28 / 2025-03-30 / 2025-03-28 / 2025-03-30", previous: "2025-03-28T23:00:00Z", next: "2025-03-30T22:00:00Z"),
        .init(zone: "Europe/Amsterdam", ts: "2025-03-30T22:00:00Z", ds: "2025-03-30", end: "2025-03-31 22:00:00+00:00",
              prevNextYesterdayTomorrow: "2025-03-29 / 2025-03-31 / 2025-03-29 / 2025-03-31", previous: "2025-03-29T23:00:00Z", next: "2025-03-31T22:00:00Z"),
        .init(zone: "Europe/Amsterdam", ts: "2025-03-29T01:30:00Z", ds: "2025-03-29", end: "2025-03-30 01:30:00+00:00",
              prevNextYesterdayTomorrow: "2025-03-28 / 2025-03-30 / 2025-03-28 / 2025-03-30", previous: "2025-03-28T01:30:00Z", next: "2025-03-30T01:30:00Z"),
        // The DST gap: Airflow 2's previous schedule point lands on 2025-03-30 (its quirk; the schedule reproduces it).
        .init(zone: "Europe/Amsterdam", ts: "2025-03-30T01:30:00Z", ds: "2025-03-30", end: "2025-03-31 00:30:00+00:00",
              prevNextYesterdayTomorrow: "2025-03-30 / 2025-03-31 / 2025-03-29 / 2025-03-31", previous: "2025-03-30T00:30:00Z", next: "2025-03-31T00:30:00Z"),
        .init(zone: "Europe/Amsterdam", ts: "2025-03-31T00:30:00Z", ds: "2025-03-31", end: "2025-04-01 00:30:00+00:00",
              prevNextYesterdayTomorrow: "2025-03-30 / 2025-04-01 / 2025-03-30 / 2025-04-01", previous: "2025-03-30T01:30:00Z", next: "2025-04-01T00:30:00Z"),
    ]

    @Test(arguments: moreRuns.indices)
    func moreRunsRow(_ i: Int) throws {
        let row = Self.moreRuns[i]
        let logical = instant(row.ts)
        let endText = row.end.replacingOccurrences(of: " ", with: "T").replacingOccurrences(of: "+00:00", with: "Z")
        let end = instant(endText)
        let tsText = row.ts.replacingOccurrences(of: "Z", with: "+00:00")
        let a2 = RunTimes(semantics: .airflow2, logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: end, runAfter: end,
                          previousLogicalDate: instant(row.previous), nextLogicalDate: instant(row.next), runId: "scheduled__\(tsText)",
                          zone: Zone(identifier: row.zone)!)
        let rendered = try render("{{ ts }}|{{ ds }}|{{ data_interval_end }}|{{ prev_ds }} / {{ next_ds }} / {{ yesterday_ds }} / {{ tomorrow_ds }}",
                                  AirflowContext.globals(for: a2, params: [:], dagId: "d"))
        #expect(rendered == "\(tsText)|\(row.ds)|\(row.end)|\(row.prevNextYesterdayTomorrow)")

        // Airflow 3 with CronDataIntervalTimetable: same ds/ts, run_id from the interval's end.
        let a3 = RunTimes(semantics: .airflow3, logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: end, runAfter: end,
                          previousLogicalDate: nil, nextLogicalDate: nil, runId: "scheduled__" + endText.replacingOccurrences(of: "Z", with: "+00:00"),
                          zone: Zone(identifier: row.zone)!)
        let a3Rendered = try render("{{ ts }}|{{ ds }}|{{ data_interval_end }}|{{ run_id }}", AirflowContext.globals(for: a3, params: [:], dagId: "d"))
        #expect(a3Rendered == "\(tsText)|\(row.ds)|\(row.end)|scheduled__\(endText.replacingOccurrences(of: "Z", with: "+00:00"))")
    }

    @Test func localTimeOfAnAmsterdamMidnightRun() throws {
        // ds is the previous calendar day for a local-midnight run; the local time is one in_timezone away.
        let logical = instant("2025-03-28T23:00:00Z")
        let run = RunTimes(semantics: .airflow2, logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: instant("2025-03-29T23:00:00Z"),
                           runAfter: instant("2025-03-29T23:00:00Z"), previousLogicalDate: nil, nextLogicalDate: nil,
                           runId: "scheduled__2025-03-28T23:00:00+00:00", zone: Zone(identifier: "Europe/Amsterdam")!)
        #expect(try render("{{ ds }} {{ logical_date.in_timezone(dag.timezone).isoformat() }} {{ prev_ds }}",
                           AirflowContext.globals(for: run, params: [:], dagId: "d")) == "2025-03-28 2025-03-29T00:00:00+01:00 None")
    }

    @Test func airflow3RemovedNamesAreUndefinedWithHelp() throws {
        let g = airflowGlobals(.airflow3)
        for name in ["prev_ds", "next_ds", "yesterday_ds", "tomorrow_ds", "prev_ds_nodash", "next_ds_nodash", "yesterday_ds_nodash",
                     "tomorrow_ds_nodash", "execution_date", "next_execution_date", "prev_execution_date"] {
            let d = failure("{{ \(name) }}", g)
            #expect(d?.code == "E502", "\(name)")
            #expect(d?.message == "'\(name)' is undefined")
            #expect(d?.help?.contains("removed in Airflow 3") == true, "\(name)")
        }
        #expect(try render("{{ dag_run.run_after }} {{ prev_ds is defined }}", g) == "2025-03-01 03:00:00+00:00 False")
    }

    @Test func airflow2Extras() throws {
        let g = airflowGlobals(.airflow2, params: ["b": 2, "a": "x"])
        #expect(try render("{{ execution_date }} {{ prev_execution_date }} {{ next_execution_date }} {{ prev_ds_nodash }} {{ next_ds_nodash }} {{ yesterday_ds_nodash }} {{ tomorrow_ds_nodash }}", g)
                == "2025-03-01 03:00:00+00:00 2025-02-28 03:00:00+00:00 2025-03-02 03:00:00+00:00 20250228 20250302 20250228 20250302")
        #expect(try render("{{ dag.dag_id }} {{ dag_run.run_id }} {{ dag_run.run_type }} {{ dag_run.logical_date | ds }} {{ params.a }} {{ params['b'] }} {{ params }}", g)
                == "medallion scheduled__2025-03-01T03:00:00+00:00 scheduled 2025-03-01 x 2 {'a': 'x', 'b': 2}")
        #expect(try render("{{ dag_run.run_after is defined }}", g) == "False")
    }

    @Test func orderedParams() throws {
        let g = AirflowContext.globals(for: dailyRun(), orderedParams: [("z", 1), ("a", ["k": "v"])], dagId: "d")
        #expect(try render("{{ params }} {{ params.a.k }}", g) == "{'z': 1, 'a': {'k': 'v'}} v")
    }

    @Test func macros() throws {
        let g = airflowGlobals()
        #expect(try render("{{ macros.ds_add(ds, -1) }} {{ macros.ds_add(ds, 0) }} {{ macros.ds_add(ds, 31) }} {{ macros.ds_add('2024-02-28', 1) }} {{ macros.ds_add(ds, -0.5) }} {{ macros.ds_add('2025-3-1', 1) }}", g)
                == "2025-02-28 2025-03-01 2025-04-01 2024-02-29 2025-02-28 2025-03-02")
        #expect(try render("{{ macros.ds_format('20250301', '%Y%m%d', '%A %B %j %U %W') }} {{ macros.ds_format('1 March 2025', '%d %B %Y', '%Y%m%d') }} {{ macros.ds_format(ds, '%Y-%m-%d', '%b %d, %Y') }}", g)
                == "Saturday March 060 08 08 20250301 Mar 01, 2025")
        #expect(try render("{{ macros.json.dumps({'a': 'é', 'b': [1, 2]}) }} {{ macros.json.dumps({'b': 1, 'a': 2}, sort_keys=true) }} {{ macros.json.dumps({'a': 1}, separators=(',', ':')) }} {{ macros.json.loads('{\"a\": [1, 2.5, null, true]}') }}", g)
                == #"{"a": "\u00e9", "b": [1, 2]} {"a": 2, "b": 1} {"a":1} {'a': [1, 2.5, None, True]}"#)
        #expect(try render("{{ macros.uuid.uuid4() | length }} {{ macros.random() < 1 }} {{ macros.time.time() > 1700000000 }} {{ macros.datetime.now() > macros.datetime(2020, 1, 1) }}", g)
                == "36 True True True")
    }

    @Test func ds_addTakesZeroAsIs() throws {
        // Airflow returns the input unchanged for days=0 without parsing it.
        #expect(try render("{{ macros.ds_add('not a date', 0) }}", airflowGlobals()) == "not a date")
        #expect(failure("{{ macros.ds_add('not a date', 1) }}", airflowGlobals())?.code == "E509")
    }
}

import Foundation
