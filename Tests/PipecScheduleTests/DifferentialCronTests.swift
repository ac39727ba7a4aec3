import Foundation
import Testing
@testable import PipecSchedule

/// Differential test against Airflow's timetables (issue 14): generated cron expressions (lists, ranges, steps,
/// names, day-of-month with day-of-week) in zones with odd DST rules, walked by scripts/differential_reference.py
/// with croniter and pendulum exactly as Airflow's CronMixin and scheduler do, under airflow2 and airflow3
/// semantics. pipec's runs (logical date, data interval end) must be the same. scripts/test.sh generates the file
/// and names it in PIPEC_DIFFERENTIAL_CRON; without it the test is skipped.
struct DifferentialCronTests {
    struct Case: Decodable {
        var id: Int
        var cron: String
        var zone: String
        var start: String
        var end: String
        var airflow2: [[String]]?
        var airflow3: [[String]]?
        var error: String?
    }

    struct File: Decodable {
        var seed: Int
        var cases: [Case]
    }

    static let path = ProcessInfo.processInfo.environment["PIPEC_DIFFERENTIAL_CRON"]
    /// The reference stops a walk after this many runs.
    static let limit = 400

    @Test(.enabled(if: path != nil, "set PIPEC_DIFFERENTIAL_CRON (scripts/test.sh does)"))
    func runsLikeAirflow() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try #require(Self.path)))
        let file = try JSONDecoder().decode(File.self, from: data)
        var compared = 0, runs = 0
        var mismatches: [String] = []
        for c in file.cases {
            guard c.error == nil else {
                mismatches.append("case \(c.id) '\(c.cron)' \(c.zone): the reference failed: \(c.error!)")
                continue
            }
            guard let zone = Zone(identifier: c.zone) else {
                mismatches.append("case \(c.id): pipec does not know the zone \(c.zone)")
                continue
            }
            let kind: ScheduleKind
            switch ScheduleKind.parse(c.cron) {
            case .success(let k): kind = k
            case .failure(let e):
                mismatches.append("case \(c.id) '\(c.cron)': pipec refuses it: \(e.message)")
                continue
            }
            let start = try Timestamp.parse(c.start, zone: .utc).get(), end = try Timestamp.parse(c.end, zone: .utc).get()
            for semantics in ScheduleSemantics.allCases {
                let reference = (semantics == .airflow2 ? c.airflow2 : c.airflow3) ?? []
                let schedule = Schedule(kind: kind, start: start, end: nil, zone: zone, semantics: semantics, catchup: true)
                var got = schedule.runs(from: start, through: end).map { [$0.logicalDate, $0.dataIntervalEnd] }
                if reference.count >= Self.limit { got = Array(got.prefix(reference.count)) }
                let want = try reference.map { pair in try pair.map { try Timestamp.parse($0, zone: .utc).get() } }
                compared += 1
                runs += want.count
                guard got != want else { continue }
                let at = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
                func show(_ list: [[Instant]]) -> String {
                    at < list.count ? "\(list[at][0]) (interval end \(list[at][1]))" : "no run"
                }
                mismatches.append("""
                    case \(c.id): '\(c.cron)' in \(c.zone) from \(c.start) to \(c.end), \(semantics.rawValue): \
                    \(want.count) runs in Airflow, \(got.count) in pipec; run \(at): Airflow \(show(want)), pipec \(show(got))
                    """)
            }
        }
        print("differential cron (Airflow timetables, seed \(file.seed)): \(compared) walks of \(file.cases.count) expressions, \(runs) runs, \(mismatches.count) mismatches")
        // Shortest expressions first: the smallest reproducers.
        for line in mismatches.sorted(by: { $0.count < $1.count }).prefix(15) { print("  " + line) }
        #expect(file.cases.count >= 100)
        let count = mismatches.count
        #expect(count == 0, "\(count) cron walks differ from Airflow")
    }
}
