extension Zone {
    /// The instant a wall-clock reading denotes in this zone, resolved the way Airflow's `make_aware` (pendulum
    /// `convert` with `fold=1`) does it, so that schedules and timestamps agree with Airflow around DST changes:
    /// - a reading that occurs twice (autumn fold) gives the *later* instant (the second occurrence);
    /// - a reading that does not exist (spring gap) is read with the offset in force before the gap, which lands
    ///   as far past the gap as it was into it (02:30 in Amsterdam on 2025-03-30 -> 03:30 CEST = 01:30Z).
    public func localize(_ civil: CivilDateTime) -> Instant {
        if isUTC { return civil.instant(offsetSeconds: 0) }
        let asUTC = civil.instant(offsetSeconds: 0)
        // The true instant lies within 26 h of the reading taken as UTC; a transition is in reach only when the
        // offsets at both ends of that window differ.
        let early = offset(at: asUTC.adding(seconds: -93_600))
        let late = offset(at: asUTC.adding(seconds: 93_600))
        if early == late, offset(at: civil.instant(offsetSeconds: early)) == early {
            return civil.instant(offsetSeconds: early)
        }
        let candidates = Set([early, late, offset(at: asUTC)])
        let valid = candidates.map { civil.instant(offsetSeconds: $0) }.filter { offset(at: $0) == Int(asUTC.seconds - $0.seconds) }
        if let later = valid.max() { return later }
        // Gap: the offset before a gap is the smaller one (clocks jump forward).
        return civil.instant(offsetSeconds: candidates.min() ?? early)
    }
}
