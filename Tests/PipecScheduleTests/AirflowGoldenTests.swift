import Foundation
import Testing
@testable import PipecSchedule
import PipecTestSupport

/// pipec's runs against `Golden/airflow_context.json`, which `scripts/airflow_reference.py` produced by letting real
/// Airflow 2.10 (CronDataIntervalTimetable) and Airflow 3 (CronTriggerTimetable) schedulers create the runs and
/// rendering each template with `airflow tasks render`'s code. Every run and every rendered value that the
/// schedule decides must be identical.
struct AirflowGoldenTests {
    typealias Case = AirflowReference.Case
    static let golden = AirflowReference.recorded
    static var cases: [Case] { golden?.cases ?? [] }

    /// Names Airflow 3 leaves undefined among the templates the reference renders.
    static let undefinedInAirflow3: Set<String> = [
        "execution_date", "next_ds", "next_ds_nodash", "prev_ds", "prev_ds_nodash", "tomorrow_ds", "tomorrow_ds_nodash",
        "yesterday_ds", "yesterday_ds_nodash",
    ]

    @Test func goldenFileCoversBothVersions() throws {
        let golden = try #require(AirflowGoldenTests.golden, "Golden/airflow_context.json is missing or unreadable")
        #expect(golden.generated_by.contains("apache-airflow 2.10"))
        #expect(golden.generated_by.contains("apache-airflow 3."))
        #expect(Set(golden.cases.map(\.semantics)) == ["airflow2", "airflow3"])
        #expect(golden.cases.count >= 40)
    }

    @Test(arguments: cases)
    func matchesAirflow(golden: Case) throws {
        let semantics = try #require(ScheduleSemantics(rawValue: golden.semantics))
        #expect(golden.timetable == (semantics == .airflow2 ? "CronDataIntervalTimetable" : "CronTriggerTimetable"))
        let z = try zone(golden.timezone)
        let schedule = Schedule(kind: try ScheduleKind.parse(golden.schedule).get(),
                                start: try Timestamp.parse(golden.start, zone: z).get(),
                                end: try Timestamp.parse(golden.end, zone: z).get(),
                                zone: z, semantics: semantics, catchup: true)
        let runs = schedule.runs(from: try #require(schedule.start), through: try #require(schedule.end))
        #expect(runs.map(\.logicalDate.description) == golden.runs.map(\.logical_date))
        #expect(runs.map(\.runAfter.description) == golden.runs.map(\.run_after))

        for (run, expected) in zip(runs, golden.runs) {
            let mine = rendered(run)
            for (template, value) in mine {
                #expect(expected.values[template] == .some(value), "\(template) of \(expected.logical_date)")
            }
            // A re-computed single run agrees with the enumerated one.
            #expect(schedule.runTimes(logicalDate: run.logicalDate) == run)
            switch semantics {
            case .airflow2:
                #expect(expected.undefined.isEmpty)
                #expect(expected.values["{{ execution_date }}"] == .some(AirflowFormat.pendulumString(run.logicalDate)))
            case .airflow3:
                #expect(Set(expected.undefined) == AirflowGoldenTests.undefinedInAirflow3)
                #expect(run.previousLogicalDate == nil && run.nextLogicalDate == nil)
                for name in AirflowGoldenTests.undefinedInAirflow3 {
                    #expect(expected.values["{{ \(name) }}"] == .some(nil), "\(name) must be undefined")
                }
            }
        }
    }

    /// The context strings pipec derives from a run, keyed by the template the reference rendered.
    func rendered(_ run: RunTimes) -> [String: String] {
        let start = run.dataIntervalStart, end = run.dataIntervalEnd
        let seconds = Double(end.totalMicroseconds - start.totalMicroseconds) / 1_000_000
        var values = [
            "{{ ds }}": AirflowFormat.ds(run.logicalDate),
            "{{ ds_nodash }}": AirflowFormat.dsNodash(run.logicalDate),
            "{{ ts }}": AirflowFormat.ts(run.logicalDate),
            "{{ ts_nodash }}": AirflowFormat.tsNodash(run.logicalDate),
            "{{ ts_nodash_with_tz }}": AirflowFormat.tsNodashWithTz(run.logicalDate),
            "{{ logical_date }}": AirflowFormat.pendulumString(run.logicalDate),
            "{{ data_interval_start }}": AirflowFormat.pendulumString(start),
            "{{ data_interval_end }}": AirflowFormat.pendulumString(end),
            "{{ data_interval_end | ds }}": AirflowFormat.ds(end),
            "{{ data_interval_start | ts_nodash }}": AirflowFormat.tsNodash(start),
            "{{ (data_interval_end - data_interval_start).total_seconds() }}": "\(seconds)",
            "{{ run_id }}": run.runId,
        ]
        if run.semantics == .airflow2, let previous = run.previousLogicalDate, let next = run.nextLogicalDate {
            values["{{ prev_ds }}"] = AirflowFormat.ds(previous)
            values["{{ prev_ds_nodash }}"] = AirflowFormat.dsNodash(previous)
            values["{{ next_ds }}"] = AirflowFormat.ds(next)
            values["{{ next_ds_nodash }}"] = AirflowFormat.dsNodash(next)
            values["{{ yesterday_ds }}"] = AirflowFormat.ds(run.logicalDate.adding(seconds: -86_400))
            values["{{ yesterday_ds_nodash }}"] = AirflowFormat.dsNodash(run.logicalDate.adding(seconds: -86_400))
            values["{{ tomorrow_ds }}"] = AirflowFormat.ds(run.logicalDate.adding(seconds: 86_400))
            values["{{ tomorrow_ds_nodash }}"] = AirflowFormat.dsNodash(run.logicalDate.adding(seconds: 86_400))
        }
        return values
    }
}
