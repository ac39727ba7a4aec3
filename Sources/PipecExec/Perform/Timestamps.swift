import PipecSchedule

enum Timestamps {
    /// `YYYY-MM-DD HH:MM:SS` in UTC: how bookkeeping columns (quarantine, catalog) store instants on every engine.
    static func sqlText(_ instant: Instant) -> String {
        String(CivilDateTime(instant, offsetSeconds: 0).isoString(offsetSeconds: 0, separator: " ").dropLast(6))
    }
}
