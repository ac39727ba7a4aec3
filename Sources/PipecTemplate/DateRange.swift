/// The range date arithmetic stays in, so that no input can overflow pipec's 64-bit microsecond instants:
/// datetimes and dates within years 1 to 9999 (Python's `datetime.MINYEAR`...`MAXYEAR`, "date value out of
/// range" beyond), and timedeltas within 100 million days (Python allows 999,999,999; pipec refuses the rest
/// with a clear error instead of trapping).
enum DateRange {
    static let maxDays = 100_000_000
    static let maxMicros: Int64 = 100_000_000 * 86_400_000_000

    static var outOfRange: EvalFailure {
        EvalFailure.value("date value out of range", help: "dates and datetimes are limited to years 1 to 9999, as in Python")
    }

    static var deltaTooLarge: EvalFailure {
        EvalFailure.value("timedelta is too large", help: "pipec's timedeltas are limited to \(maxDays) days")
    }

    /// `n * unit` microseconds, refused beyond the timedelta range.
    static func micros(_ n: Int, _ unit: Int64) throws(EvalFailure) -> Int64 {
        let (m, o) = Int64(n).multipliedReportingOverflow(by: unit)
        guard !o, m.magnitude <= maxMicros.magnitude else { throw deltaTooLarge }
        return m
    }

    /// `d * unit` microseconds, rounded half to even, refused beyond the timedelta range.
    static func micros(_ d: Double, _ unit: Double) throws(EvalFailure) -> Int64 {
        let m = (d * unit).rounded(.toNearestOrEven)
        guard m.isFinite, Swift.abs(m) <= Double(maxMicros) else { throw deltaTooLarge }
        return Int64(m)
    }

    static func sum(_ a: Int64, _ b: Int64) throws(EvalFailure) -> Int64 {
        let (s, o) = a.addingReportingOverflow(b)
        guard !o, s.magnitude <= maxMicros.magnitude else { throw deltaTooLarge }
        return s
    }

    static func days(_ n: Int) throws(EvalFailure) -> Int {
        guard n.magnitude <= UInt(maxDays) else { throw deltaTooLarge }
        return n
    }

    /// `value` when it is a datetime or date within years 1...9999 (anything else passes through).
    static func checked(_ value: TemplateValue) throws(EvalFailure) -> TemplateValue {
        switch value {
        case .datetime(let dt): guard (1...9999).contains(dt.civil.year) else { throw outOfRange }
        case .date(let d): guard (1...9999).contains(d.civil.year) else { throw outOfRange }
        default: break
        }
        return value
    }

    /// A datetime's wall clock, or a date, moved by `days` (within range) stays representable.
    static func epochDay(_ day: Int64) throws(EvalFailure) -> Int64 {
        // 0001-01-01 and 9999-12-31 as days since 1970-01-01.
        guard (-719_162...2_932_896).contains(day) else { throw outOfRange }
        return day
    }
}
