import Foundation

/// What triggers a pipeline's runs.
public enum ScheduleKind: Sendable, Hashable {
    /// A cron expression or preset (`0 3 * * *`, `@daily`).
    case cron(CronExpression)
    /// `@once`: a single run at `start`.
    case once
    /// No schedule: runs exist only when asked for (`pipec apply --ds D`).
    case manual

    /// `@once`, or a cron expression / preset.
    public static func parse(_ text: String) -> Result<ScheduleKind, TimeParseError> {
        if text.trimmingCharacters(in: .whitespaces).lowercased() == "@once" { return .success(.once) }
        return CronExpression.parse(text).map { .cron($0) }
    }
}

/// Why a run exists; it decides the `run_id` prefix, as in Airflow.
public enum RunType: String, Sendable, Hashable, CaseIterable {
    /// Created by the schedule (or by catch-up/backfill of scheduled intervals).
    case scheduled
    /// Asked for by hand, like an Airflow "trigger DAG".
    case manual

    public var runIdPrefix: String { rawValue + "__" }
}

/// A pipeline's schedule: which runs exist, their data intervals, and when they are due, as Airflow computes them.
///
/// `semantics` picks the Airflow version's meaning of a cron schedule (see `ScheduleSemantics`). `start` and `end`
/// bound the logical dates of scheduled runs (both inclusive); `zone` is the zone cron fields are read in.
public struct Schedule: Sendable, Hashable {
    public var kind: ScheduleKind
    public var start: Instant?
    public var end: Instant?
    public var zone: Zone
    public var semantics: ScheduleSemantics
    /// Whether missed intervals all run (`true`) or only the most recent one (`false`, the spec's default).
    public var catchup: Bool

    public init(kind: ScheduleKind, start: Instant? = nil, end: Instant? = nil, zone: Zone = .utc,
                semantics: ScheduleSemantics = .airflow2, catchup: Bool = false) {
        self.kind = kind
        self.start = start
        self.end = end
        self.zone = zone
        self.semantics = semantics
        self.catchup = catchup
    }

    /// The run whose logical date is `logicalDate` (a schedule point for cron schedules).
    ///
    /// - airflow2, cron: data interval [logicalDate, next fire time); runs after the interval ends; `prev_ds` /
    ///   `next_ds` come from Airflow 2's `dag.previous_schedule` / `next_dagrun_info`, DST quirks included.
    /// - airflow3, cron: logical date = interval start = interval end = run_after = the fire time; no prev/next.
    /// - once: interval [start, start]; manual (no schedule): interval [logicalDate, +1 day).
    /// A `.manual` run under airflow2 gets `prev_ds` = `next_ds` = `ds`, as Airflow 2 gives externally triggered runs.
    public func runTimes(logicalDate: Instant, runType: RunType = .scheduled) -> RunTimes {
        var times: RunTimes
        switch kind {
        case .cron(let cron):
            switch semantics {
            case .airflow2:
                let end = cron.airflowNext(logicalDate, in: zone) ?? logicalDate
                times = run(logicalDate, end: end,
                            previous: cron.airflowPrevious(logicalDate, in: zone),
                            next: cron.airflowAlignToPrevious(end, in: zone))
            case .airflow3:
                times = run(logicalDate, end: logicalDate, previous: nil, next: nil)
            }
        case .once:
            times = run(logicalDate, end: logicalDate, previous: nil, next: nil)
        case .manual:
            times = run(logicalDate, end: logicalDate.adding(seconds: 86_400), previous: nil, next: nil)
        }
        if runType == .manual {
            times.runId = AirflowFormat.runId(.manual, logicalDate)
            if semantics == .airflow2 { (times.previousLogicalDate, times.nextLogicalDate) = (logicalDate, logicalDate) }
        }
        return times
    }

    /// A scheduled run with data interval [start, end), due at `end` (airflow2) or at its logical date (airflow3,
    /// where `end` == `start`). prev/next are dropped under airflow3, where Airflow leaves them undefined.
    func run(_ start: Instant, end: Instant, previous: Instant?, next: Instant?) -> RunTimes {
        let airflow2 = semantics == .airflow2
        return RunTimes(semantics: semantics, logicalDate: start, dataIntervalStart: start, dataIntervalEnd: end,
                        runAfter: end, previousLogicalDate: airflow2 ? previous : nil,
                        nextLogicalDate: airflow2 ? next : nil,
                        runId: AirflowFormat.runId(.scheduled, start), zone: zone)
    }
}
