/// Which Airflow version's meaning of a cron schedule a spec uses (`schedule.semantics`).
public enum ScheduleSemantics: String, Sendable, Hashable, CaseIterable {
    /// Airflow 2's CronDataIntervalTimetable: a run covers [start, end) and `logical_date` = `data_interval_start`.
    case airflow2
    /// Airflow 3's CronTriggerTimetable: `logical_date` = `data_interval_start` = `data_interval_end` = the fire time;
    /// `prev_ds`, `next_ds`, `yesterday_ds`, `tomorrow_ds`, `execution_date` and friends are undefined.
    case airflow3
}

/// Everything about one scheduled run that the template context is computed from. Produced by the schedule
/// (see `Schedule`), consumed by the template engine's Airflow context. All instants are UTC.
public struct RunTimes: Sendable, Hashable {
    public var semantics: ScheduleSemantics
    public var logicalDate: Instant
    public var dataIntervalStart: Instant
    public var dataIntervalEnd: Instant
    /// When the run fires (Airflow's `run_after`).
    public var runAfter: Instant
    /// The logical date of the schedule point before / after this one, as Airflow 2 computes `prev_ds` / `next_ds`.
    /// nil when it does not exist (or under airflow3, where those variables are undefined).
    public var previousLogicalDate: Instant?
    public var nextLogicalDate: Instant?
    /// `scheduled__<logical date>` for scheduled runs, `manual__...` for runs asked for by hand.
    public var runId: String
    /// The schedule's time zone (the zone `logical_date.in_timezone(...)` would use); ds and ts stay UTC as in Airflow.
    public var zone: Zone

    public init(semantics: ScheduleSemantics, logicalDate: Instant, dataIntervalStart: Instant, dataIntervalEnd: Instant,
                runAfter: Instant, previousLogicalDate: Instant?, nextLogicalDate: Instant?, runId: String, zone: Zone = .utc) {
        self.semantics = semantics
        self.logicalDate = logicalDate
        self.dataIntervalStart = dataIntervalStart
        self.dataIntervalEnd = dataIntervalEnd
        self.runAfter = runAfter
        self.previousLogicalDate = previousLogicalDate
        self.nextLogicalDate = nextLogicalDate
        self.runId = runId
        self.zone = zone
    }
}
