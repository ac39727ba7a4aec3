/// Enumerating a schedule's runs: by logical date, by `ds`, and the ones due now.
extension Schedule {
    /// Every scheduled run whose logical date is in [from, through], clipped to [start, end], oldest first.
    ///
    /// Cron runs are generated the way Airflow's scheduler walks its timetable (first run at the fire time at or
    /// after the lower bound, each next one derived from the previous run's interval), so DST edge cases come
    /// out as Airflow creates them. A manual schedule has no scheduled runs.
    public func runs(from: Instant, through: Instant) -> [RunTimes] {
        let lower = max(from, start ?? from)
        let upper = min(through, end ?? through)
        if lower > upper { return [] }
        switch kind {
        case .manual:
            return []
        case .once:
            guard let start, start >= from, start <= through, end.map({ start <= $0 }) ?? true else { return [] }
            return [runTimes(logicalDate: start)]
        case .cron(let cron):
            return cronRuns(cron, from: lower, through: upper)
        }
    }

    /// Every run whose `ds` (the UTC date of its logical date, as Airflow renders `ds`) is `date`: one for a daily
    /// schedule, 24 for an hourly one. A manual schedule gives the run asked for: logical date `date` 00:00 UTC,
    /// interval one day, run id `manual__...`.
    public func runs(forDs date: CivilDateTime) -> [RunTimes] {
        runs(fromDs: date, throughDs: date)
    }

    /// Every run whose `ds` is within [fromDs, throughDs] (`pipec apply --from A --to B`); for a manual schedule,
    /// one manual run per day.
    public func runs(fromDs: CivilDateTime, throughDs: CivilDateTime) -> [RunTimes] {
        let first = CivilDateTime(year: fromDs.year, month: fromDs.month, day: fromDs.day).instant(offsetSeconds: 0)
        let afterLast = CivilDateTime(year: throughDs.year, month: throughDs.month, day: throughDs.day)
            .instant(offsetSeconds: 0).adding(seconds: 86_400)
        if case .manual = kind {
            return stride(from: first.seconds, to: afterLast.seconds, by: 86_400).map {
                runTimes(logicalDate: Instant(seconds: $0), runType: .manual)
            }
        }
        return runs(from: first, through: Instant(totalMicroseconds: afterLast.totalMicroseconds - 1))
    }

    /// The runs that are due at `now`: run_after <= now, logical date within [start, end]. With `catchup` every
    /// such run; without it (or without a start to catch up from) only the most recent, as Airflow does.
    public func dueRuns(now: Instant) -> [RunTimes] {
        let upper = min(now, end ?? now)
        switch kind {
        case .manual:
            return []
        case .once:
            return runs(from: start ?? now, through: upper).filter { $0.runAfter <= now }
        case .cron(let cron):
            if catchup, let start {
                return runs(from: start, through: upper).filter { $0.runAfter <= now }
            }
            // The newest due run starts at most two fire times before `upper` (airflow2 waits for its interval
            // to end); look back three to be safe around DST.
            var lower = upper
            for _ in 0..<3 { lower = cron.previous(before: lower, in: zone) ?? lower }
            return Array(runs(from: lower, through: upper).filter { $0.runAfter <= now }.suffix(1))
        }
    }

    /// Airflow's scheduler loop over a cron timetable, from `lower` to `upper` (logical dates, inclusive).
    func cronRuns(_ cron: CronExpression, from lower: Instant, through upper: Instant) -> [RunTimes] {
        guard var logical = cron.airflowAlignToNext(lower, in: zone) else { return [] }
        var result: [RunTimes] = []
        switch semantics {
        case .airflow3:
            // CronTriggerTimetable: each run fires at the next fire time after the previous one.
            while logical <= upper {
                result.append(run(logical, end: logical, previous: nil, next: nil))
                // `next(after:)` when Airflow's step would not move forward: a run is never repeated or dropped.
                guard let next = cron.airflowNext(logical, in: zone).flatMap({ $0 > logical ? $0 : nil })
                        ?? cron.next(after: logical, in: zone) else { break }
                logical = next
            }
        case .airflow2:
            // CronDataIntervalTimetable: interval [s, next(s)); the next run starts at align_to_prev(end).
            // prev_ds is previous(s); next_ds is that next start. Intermediate answers are reused, so a run
            // costs two cron steps in the usual case.
            var previous = cron.airflowPrevious(logical, in: zone)
            while logical <= upper {
                guard let end = cron.airflowNext(logical, in: zone) else { break }
                let beforeEnd = cron.airflowPrevious(end, in: zone)
                var nextStart: Instant
                if beforeEnd == logical {
                    nextStart = end   // align_to_prev(end): next(previous(end)) == next(logical) == end
                } else if let beforeEnd, cron.airflowNext(beforeEnd, in: zone) != end {
                    nextStart = beforeEnd
                } else {
                    nextStart = end
                }
                if nextStart <= logical {
                    // At a fall-back change that is not a whole hour (Australia/Lord_Howe: 30 minutes) the
                    // previous fire time of `end` lies before this run, and Airflow's walk would create this run
                    // again. The next run starts where this interval ends instead: none is repeated or dropped.
                    guard let forward = end > logical ? end : cron.next(after: logical, in: zone) else { break }
                    nextStart = forward
                }
                result.append(run(logical, end: end, previous: previous, next: nextStart))
                previous = nextStart == end ? beforeEnd : cron.airflowPrevious(nextStart, in: zone)
                logical = nextStart
            }
        }
        return result
    }
}
