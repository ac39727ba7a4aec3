import Foundation

/// A point in time: whole seconds since 1970-01-01T00:00:00Z plus microseconds. Schedules work in whole seconds;
/// the microseconds exist so template arithmetic (`timedelta(microseconds=...)`) is exact.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Int64
    public var microseconds: Int32   // 0 ..< 1_000_000

    public init(seconds: Int64, microseconds: Int32 = 0) {
        self.seconds = seconds
        self.microseconds = microseconds
    }

    /// Normalising initialiser for arithmetic results.
    public init(totalMicroseconds: Int64) {
        var s = totalMicroseconds / 1_000_000
        var us = totalMicroseconds % 1_000_000
        if us < 0 { us += 1_000_000; s -= 1 }
        self.init(seconds: s, microseconds: Int32(us))
    }

    public var totalMicroseconds: Int64 { seconds * 1_000_000 + Int64(microseconds) }

    public static func < (a: Instant, b: Instant) -> Bool {
        a.seconds != b.seconds ? a.seconds < b.seconds : a.microseconds < b.microseconds
    }

    public func adding(seconds delta: Int64) -> Instant { Instant(seconds: seconds + delta, microseconds: microseconds) }

    public static func now() -> Instant {
        let t = Date().timeIntervalSince1970
        return Instant(totalMicroseconds: Int64((t * 1_000_000).rounded()))
    }

    /// ISO 8601 in UTC with a `Z`, e.g. `2025-01-01T03:00:00Z` (what plans and state rows store).
    public var description: String { CivilDateTime(self, offsetSeconds: 0).isoString(offsetSeconds: 0, zulu: true) }
}

/// A wall-clock reading (proleptic Gregorian calendar), with no time zone attached.
public struct CivilDateTime: Sendable, Hashable, Comparable {
    public var year: Int
    public var month: Int      // 1...12
    public var day: Int        // 1...31
    public var hour: Int = 0
    public var minute: Int = 0
    public var second: Int = 0
    public var microsecond: Int = 0

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second, self.microsecond) = (hour, minute, second, microsecond)
    }

    /// The wall clock at `instant` in a zone whose UTC offset there is `offsetSeconds`.
    public init(_ instant: Instant, offsetSeconds: Int) {
        let local = instant.seconds + Int64(offsetSeconds)
        var days = local / 86_400
        var rest = local % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = CivilDateTime.civil(fromDays: days)
        self.init(year: y, month: m, day: d, hour: Int(rest / 3600), minute: Int(rest % 3600 / 60),
                  second: Int(rest % 60), microsecond: Int(instant.microseconds))
    }

    /// The instant this wall clock denotes at a fixed UTC offset.
    public func instant(offsetSeconds: Int) -> Instant {
        let days = CivilDateTime.days(fromCivil: year, month, day)
        let secs = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Instant(seconds: secs, microseconds: Int32(microsecond))
    }

    /// Days since 1970-01-01 of this date.
    public var epochDay: Int64 { CivilDateTime.days(fromCivil: year, month, day) }

    /// ISO weekday: Monday = 1 ... Sunday = 7.
    public var isoWeekday: Int {
        let w = Int((epochDay % 7 + 7 + 3) % 7)   // 1970-01-01 was a Thursday (ISO 4)
        return w + 1
    }

    /// Day of the year, 1...366.
    public var dayOfYear: Int { Int(epochDay - CivilDateTime.days(fromCivil: year, 1, 1)) + 1 }

    public static func < (a: CivilDateTime, b: CivilDateTime) -> Bool {
        (a.year, a.month, a.day, a.hour, a.minute) < (b.year, b.month, b.day, b.hour, b.minute)
            || ((a.year, a.month, a.day, a.hour, a.minute) == (b.year, b.month, b.day, b.hour, b.minute)
                && (a.second, a.microsecond) < (b.second, b.microsecond))
    }

    public static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeapYear(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func days(fromCivil y: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y - 1 : y)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((m + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(fromDays z: Int64) -> (Int, Int, Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// `YYYY-MM-DD`.
    public var dateString: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]` followed by `+HH:MM` (or `Z` when `zulu` and the offset is 0).
    public func isoString(offsetSeconds: Int, zulu: Bool = false, separator: String = "T") -> String {
        var s = "\(dateString)\(separator)\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        if microsecond != 0 { s += "." + pad(microsecond, 6) }
        if zulu && offsetSeconds == 0 { return s + "Z" }
        return s + CivilDateTime.offsetString(offsetSeconds, colon: true)
    }

    /// `+HH:MM` (or `+HHMM` without the colon).
    public static func offsetString(_ offset: Int, colon: Bool) -> String {
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        return "\(sign)\(pad(a / 3600, 2))\(colon ? ":" : "")\(pad(a % 3600 / 60, 2))"
    }
}

@inline(__always)
func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// An IANA time zone (or UTC), answering the two questions schedules ask: the offset at an instant, and the instant
/// of a wall-clock reading (which may fall into a DST gap or fold).
public struct Zone: Sendable, Hashable, CustomStringConvertible {
    public let identifier: String
    private let timeZone: TimeZone?   // nil = UTC, skipping Foundation on the hot path

    public static let utc = Zone(utc: ())

    private init(utc: Void) {
        identifier = "UTC"
        timeZone = nil
    }

    /// nil when the name is not a known IANA zone.
    public init?(identifier: String) {
        if identifier == "UTC" || identifier == "Etc/UTC" || identifier == "Z" {
            self = .utc
            return
        }
        guard let tz = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.timeZone = tz
    }

    public var isUTC: Bool { timeZone == nil }
    public var description: String { identifier }

    /// Seconds east of UTC at `instant`.
    public func offset(at instant: Instant) -> Int {
        guard let tz = timeZone else { return 0 }
        return tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds)))
    }

    /// The wall clock at `instant` in this zone.
    public func civil(_ instant: Instant) -> CivilDateTime {
        CivilDateTime(instant, offsetSeconds: offset(at: instant))
    }

    /// Every instant whose wall clock in this zone reads `civil`: none in a DST gap, two in a fold, else one.
    public func instants(for civil: CivilDateTime) -> [Instant] {
        guard timeZone != nil else { return [civil.instant(offsetSeconds: 0)] }
        let guess = civil.instant(offsetSeconds: 0)
        // Offsets in use within a day either side cover every transition that can affect this reading.
        let candidates = Set([offset(at: guess.adding(seconds: -86_400)), offset(at: guess), offset(at: guess.adding(seconds: 86_400))])
        return candidates.map { civil.instant(offsetSeconds: $0) }
            .filter { offset(at: $0) == Int(civil.instant(offsetSeconds: 0).seconds - $0.seconds) }
            .sorted()
    }
}
