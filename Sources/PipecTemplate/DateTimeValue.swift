import PipecSchedule

/// The time zone of an aware datetime: UTC (the common case, handled without Foundation), an IANA zone,
/// or a fixed offset (from `%z` in strptime or an ISO string).
public enum TimeZoneRef: Sendable, Hashable {
    case utc
    case named(Zone)
    case fixed(Int)

    /// Resolves a name as pendulum's `in_timezone` does; nil when unknown.
    public init?(name: String) {
        if name == "UTC" || name == "utc" || name == "Etc/UTC" || name == "Z" || name == "GMT" {
            self = .utc
        } else if let zone = Zone(identifier: name) {
            self = zone.isUTC ? .utc : .named(zone)
        } else {
            return nil
        }
    }

    func offset(at instant: Instant) -> Int {
        switch self {
        case .utc: return 0
        case .named(let zone): return zone.offset(at: instant)
        case .fixed(let seconds): return seconds
        }
    }

    /// What pendulum prints for `timezone_name` and `str(tz)`.
    var name: String {
        switch self {
        case .utc: return "UTC"
        case .named(let zone): return zone.identifier
        case .fixed(let seconds): return CivilDateTime.offsetString(seconds, colon: true)
        }
    }

    /// `%Z`: the zone's abbreviation at `instant` (CET/CEST), as Python's `tzname()`.
    func abbreviation(at instant: Instant) -> String {
        switch self {
        case .utc: return "UTC"
        case .named(let zone): return ZoneAbbreviations.abbreviation(zone.identifier, at: instant)
            ?? CivilDateTime.offsetString(zone.offset(at: instant), colon: true)
        case .fixed(let seconds): return seconds == 0 ? "UTC" : "UTC" + CivilDateTime.offsetString(seconds, colon: true)
        }
    }

    /// The instant a local wall-clock reading denotes, resolved like pendulum: a time in a DST gap moves
    /// forward by the gap; an ambiguous time takes the first (pre-transition) occurrence.
    func instant(for civil: CivilDateTime) -> Instant {
        switch self {
        case .utc: return civil.instant(offsetSeconds: 0)
        case .fixed(let seconds): return civil.instant(offsetSeconds: seconds)
        case .named(let zone):
            let candidates = zone.instants(for: civil)
            if let first = candidates.first { return first }
            // In a gap: read the wall clock with the offset in force just before the transition.
            let before = zone.offset(at: civil.instant(offsetSeconds: 0).adding(seconds: -86_400))
            return civil.instant(offsetSeconds: before)
        }
    }
}

/// A date and time. `civil` is the wall clock in `zone` (or the naive reading when `zone` is nil) and is kept
/// precomputed because formatting (`ds`, `ts`, `strftime`) is what templates do with datetimes.
public final class DateTimeValue: Sendable {
    /// For a naive datetime, the instant of `civil` read as UTC (used for ordering only).
    public let instant: Instant
    public let civil: CivilDateTime
    /// Seconds east of UTC of `civil` (0 when naive).
    public let offset: Int
    /// nil for a naive datetime.
    public let zone: TimeZoneRef?
    /// pendulum's `DateTime` (Airflow context values, `add`, `in_timezone` ...) rather than stdlib `datetime`.
    public let isPendulum: Bool

    /// An aware datetime at `instant` in `zone`.
    public init(instant: Instant, zone: TimeZoneRef = .utc, pendulum: Bool = true) {
        let offset = zone.offset(at: instant)
        self.instant = instant
        self.offset = offset
        self.civil = CivilDateTime(instant, offsetSeconds: offset)
        self.zone = zone
        self.isPendulum = pendulum
    }

    /// A naive datetime (no time zone), like `datetime.datetime(2025, 1, 1)`.
    public init(naive civil: CivilDateTime, pendulum: Bool = false) {
        self.civil = civil
        self.instant = civil.instant(offsetSeconds: 0)
        self.offset = 0
        self.zone = nil
        self.isPendulum = pendulum
    }

    /// An aware datetime from a wall-clock reading in `zone`.
    convenience init(civil: CivilDateTime, zone: TimeZoneRef?, pendulum: Bool) {
        if let zone {
            self.init(instant: zone.instant(for: civil), zone: zone, pendulum: pendulum)
        } else {
            self.init(naive: civil, pendulum: pendulum)
        }
    }

    public var isAware: Bool { zone != nil }

    /// Same zone and flavour, another wall clock.
    func with(civil: CivilDateTime) -> DateTimeValue {
        DateTimeValue(civil: civil, zone: zone, pendulum: isPendulum)
    }

    /// Same zone and flavour, another instant (aware) or wall clock shifted by `micros` (naive).
    func shifted(byMicroseconds micros: Int64) -> DateTimeValue {
        if let zone {
            return DateTimeValue(instant: Instant(totalMicroseconds: instant.totalMicroseconds + micros), zone: zone, pendulum: isPendulum)
        }
        let moved = Instant(totalMicroseconds: instant.totalMicroseconds + micros)
        return DateTimeValue(naive: CivilDateTime(moved, offsetSeconds: 0), pendulum: isPendulum)
    }

    /// `self + delta` (or `- delta` when `negate`). Python adds a timedelta to the wall clock and keeps tzinfo;
    /// pendulum moves the instant (`add(seconds=delta.total_seconds())`), except for an Interval with whole days,
    /// which it adds as calendar days.
    func adding(delta micros: Int64, negate: Bool = false, calendarDays: Bool = false) -> DateTimeValue {
        let signed = negate ? -micros : micros
        guard let zone, case .named = zone else { return shifted(byMicroseconds: signed) }
        if isPendulum && !(calendarDays && abs(micros) >= 86_400_000_000) { return shifted(byMicroseconds: signed) }
        let wall = civil.instant(offsetSeconds: 0).totalMicroseconds + signed
        return with(civil: CivilDateTime(Instant(totalMicroseconds: wall), offsetSeconds: 0))
    }

    /// pendulum's `add(years=, months=, weeks=, days=, hours=, ...)`: with a calendar unit every unit moves the
    /// wall clock (the day clamped to the month's end), otherwise the instant moves.
    func adding(years: Int, months: Int, days: Int, micros: Int64) -> DateTimeValue {
        guard years != 0 || months != 0 || days != 0 else { return shifted(byMicroseconds: micros) }
        var c = civil
        let totalMonths = c.year * 12 + (c.month - 1) + years * 12 + months
        c.year = totalMonths >= 0 ? totalMonths / 12 : (totalMonths - 11) / 12
        c.month = totalMonths - c.year * 12 + 1
        c.day = min(c.day, CivilDateTime.daysInMonth(c.year, c.month))
        let wall = c.instant(offsetSeconds: 0).totalMicroseconds + Int64(days) * 86_400_000_000 + micros
        return with(civil: CivilDateTime(Instant(totalMicroseconds: wall), offsetSeconds: 0))
    }

    func converted(to zone: TimeZoneRef) -> DateTimeValue {
        DateTimeValue(instant: instant, zone: zone, pendulum: true)
    }

    /// Python's `isoformat(sep)`: `2025-03-01T03:00:00+00:00`, microseconds only when non-zero.
    func isoformat(separator: Character = "T", into out: inout String) {
        Digits.date(civil, into: &out)
        out.append(separator)
        Digits.time(civil, into: &out)
        if zone != nil { Digits.offset(offset, colon: true, into: &out) }
    }

    func isoformat(separator: Character = "T") -> String {
        var s = ""
        s.reserveCapacity(32)
        isoformat(separator: separator, into: &s)
        return s
    }
}

/// A calendar date (`logical_date.date()`, `macros.datetime(...).date()`), stored as days since 1970-01-01.
public struct DateValue: Sendable, Hashable {
    public var epochDay: Int32
    /// pendulum's `Date` (from a pendulum DateTime) rather than stdlib `date`; only `repr` and `add` differ.
    public var isPendulum: Bool

    public init(year: Int, month: Int, day: Int, pendulum: Bool = false) {
        epochDay = Int32(truncatingIfNeeded: CivilDateTime.days(fromCivil: year, month, day))
        isPendulum = pendulum
    }

    init(epochDay: Int64, pendulum: Bool) {
        self.epochDay = Int32(truncatingIfNeeded: epochDay)
        self.isPendulum = pendulum
    }

    /// Midnight of this date, as a naive wall clock.
    public var civil: CivilDateTime {
        let (y, m, d) = CivilDateTime.civil(fromDays: Int64(epochDay))
        return CivilDateTime(year: y, month: m, day: d)
    }

    /// `YYYY-MM-DD`.
    public var isoString: String {
        var s = ""
        Digits.date(civil, into: &s)
        return s
    }
}

/// A time span in microseconds: Python's `timedelta`, or pendulum's `Duration`, or an `Interval` (what pendulum
/// returns for `DateTime - DateTime`, printed as `<Interval [start -> end]>`).
public struct TimeDelta: Sendable {
    public var microseconds: Int64
    var flavor: Flavor

    enum Flavor: Sendable {
        case timedelta
        case duration
        case interval(IntervalEnds)
    }

    public init(microseconds: Int64) {
        self.microseconds = microseconds
        self.flavor = .timedelta
    }

    init(microseconds: Int64, flavor: Flavor) {
        self.microseconds = microseconds
        self.flavor = flavor
    }

    var isPendulum: Bool {
        if case .timedelta = flavor { return false }
        return true
    }

    var isInterval: Bool {
        if case .interval = flavor { return true }
        return false
    }

    /// Python's normalised fields: `days` may be negative, `seconds` in 0..<86400, `micros` in 0..<1_000_000.
    var pythonFields: (days: Int64, seconds: Int64, micros: Int64) {
        var days = microseconds / 86_400_000_000
        var rest = microseconds % 86_400_000_000
        if rest < 0 { rest += 86_400_000_000; days -= 1 }
        return (days, rest / 1_000_000, rest % 1_000_000)
    }
}

/// The two ends of a pendulum Interval (datetimes or dates).
final class IntervalEnds: Sendable {
    let start: TemplateValue
    let end: TemplateValue
    init(start: TemplateValue, end: TemplateValue) {
        self.start = start
        self.end = end
    }
}

/// Zero-padded decimal formatting without Foundation, used by every date format on the render path.
enum Digits {
    /// "00" ... "99": appending a small string is much cheaper than appending two scalars.
    private static let twoDigits: [String] = (0..<100).map { (n: Int) -> String in
        String(decoding: [UInt8(48 + n / 10), UInt8(48 + n % 10)], as: UTF8.self)
    }

    @inline(__always)
    static func pad(_ n: Int, _ width: Int, into out: inout String) {
        if n < 0 {
            out.append("-")
            pad(-n, width - 1, into: &out)
            return
        }
        if width == 2 && n < 100 {
            out.append(twoDigits[n])
            return
        }
        let s = String(n)
        if s.utf8.count < width { out.append(String(repeating: "0", count: width - s.utf8.count)) }
        out.append(s)
    }

    static func padded(_ n: Int, _ width: Int) -> String {
        var s = ""
        pad(n, width, into: &s)
        return s
    }

    /// `YYYY-MM-DD`
    static func date(_ c: CivilDateTime, into out: inout String) {
        pad(c.year, 4, into: &out)
        out.append("-")
        pad(c.month, 2, into: &out)
        out.append("-")
        pad(c.day, 2, into: &out)
    }

    /// `HH:MM:SS[.ffffff]`
    static func time(_ c: CivilDateTime, into out: inout String) {
        pad(c.hour, 2, into: &out)
        out.append(":")
        pad(c.minute, 2, into: &out)
        out.append(":")
        pad(c.second, 2, into: &out)
        if c.microsecond != 0 {
            out.append(".")
            pad(c.microsecond, 6, into: &out)
        }
    }

    /// `+HH:MM` / `+HHMM`, with `:SS` when the offset has seconds (as Python prints).
    static func offset(_ seconds: Int, colon: Bool, into out: inout String) {
        out.append(seconds < 0 ? "-" : "+")
        let a = abs(seconds)
        pad(a / 3600, 2, into: &out)
        if colon { out.append(":") }
        pad(a % 3600 / 60, 2, into: &out)
        if a % 60 != 0 {
            if colon { out.append(":") }
            pad(a % 60, 2, into: &out)
        }
    }
}
