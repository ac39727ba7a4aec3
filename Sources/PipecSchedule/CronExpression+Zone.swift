/// Fire times in a time zone, with Airflow's DST behaviour (`airflow.timetables._cron.CronMixin`, identical in
/// Airflow 2.10 and 3.x). Airflow runs croniter on the *naive* wall clock and turns the answer back into an
/// instant in one of two ways:
/// - expressions whose hour field is not `*` (daily, weekly, `0 */2 * * *`, ...): the matching reading is
///   localized with `Zone.localize` (a fold gives the later occurrence, a gap reading moves past the gap), so
///   `30 2 * * *` in Europe/Amsterdam fires at 03:30 CEST on 2025-03-30 and once (02:30 CET) on 2025-10-26;
/// - expressions that fire every hour: the wall-clock distance to the match is added to the instant as elapsed
///   time, so hourly jobs run every real hour through both changes (the fold hour runs twice in wall-clock terms).
extension CronExpression {
    /// Airflow's `_get_next`: the next fire time after `instant`.
    func airflowNext(_ instant: Instant, in zone: Zone) -> Instant? {
        step(from: instant, in: zone, forward: true)?.instant
    }

    /// Airflow's `_get_prev`. Unlike `previous(before:in:)` it can return `instant` itself when `instant` was
    /// reached through a DST gap (`30 2 * * *`, 2025-03-30T01:30Z): Airflow 2's `prev_ds` shows that answer.
    func airflowPrevious(_ instant: Instant, in zone: Zone) -> Instant? {
        step(from: instant, in: zone, forward: false)?.instant
    }

    /// Airflow's `_align_to_next`: `instant` when it is a fire time, else the next one.
    func airflowAlignToNext(_ instant: Instant, in zone: Zone) -> Instant? {
        guard let next = airflowNext(instant, in: zone) else { return nil }
        return airflowPrevious(next, in: zone) == instant ? instant : next
    }

    /// Airflow's `_align_to_prev`: `instant` when it is a fire time, else the previous one.
    func airflowAlignToPrevious(_ instant: Instant, in zone: Zone) -> Instant? {
        guard let previous = airflowPrevious(instant, in: zone) else { return nil }
        return airflowNext(previous, in: zone) == instant ? instant : previous
    }

    /// The first fire time strictly after `instant`, in `zone` (Airflow's rule, see above).
    public func next(after instant: Instant, in zone: Zone = .utc) -> Instant? {
        guard var found = step(from: instant, in: zone, forward: true) else { return nil }
        // Localizing never moves a later reading before `instant` with real zone data; the loop keeps the
        // contract even if it did.
        while found.instant <= instant {
            guard let reading = nextMatch(after: found.reading) else { return nil }
            found = (zone.localize(reading), reading)
        }
        return found.instant
    }

    /// The last fire time strictly before `instant`, in `zone`: Airflow's `_get_prev`, except that where that
    /// returns `instant` itself (a reading moved forward through a DST gap) this keeps going back.
    public func previous(before instant: Instant, in zone: Zone = .utc) -> Instant? {
        guard var found = step(from: instant, in: zone, forward: false) else { return nil }
        while found.instant >= instant {
            guard let reading = previousMatch(before: found.reading) else { return nil }
            found = (zone.localize(reading), reading)
        }
        return found.instant
    }

    /// One croniter step on the wall clock of `instant`, mapped back to an instant as Airflow does.
    private func step(from instant: Instant, in zone: Zone, forward: Bool) -> (instant: Instant, reading: CivilDateTime)? {
        let offset = zone.offset(at: instant)
        let wallClock = CivilDateTime(instant, offsetSeconds: offset)
        guard let reading = forward ? nextMatch(after: wallClock) : previousMatch(before: wallClock) else { return nil }
        if !coversEveryHour { return (zone.localize(reading), reading) }
        // instant + (reading - wallClock) on the naive clock = the reading taken at the instant's own offset.
        return (reading.instant(offsetSeconds: offset), reading)
    }
}
