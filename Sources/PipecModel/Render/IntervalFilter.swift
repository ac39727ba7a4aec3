import PipecSchedule
import PipecTemplate

/// `interval_filter('col')`: `col >= <start> AND col < <end>` with the interval's bounds written as literals of
/// the dialect, so the same template filters correctly on every engine.
public enum IntervalFilter {
    public static func render(column: String, start: Instant, end: Instant, dialect: SQLDialect) -> String {
        render(column: column, bounds: bounds(start: start, end: end, dialect: dialect))
    }

    /// The filter with bounds from `bounds(start:end:dialect:)`, which a render environment formats once per dialect.
    static func render(column: String, bounds: (start: String, end: String, normalize: Bool)) -> String {
        let c = bounds.normalize ? "datetime(\(column))" : column
        return "\(c) >= \(bounds.start) AND \(c) < \(bounds.end)"
    }

    /// The interval's bounds as literals of the dialect. SQLite keeps times as ISO 8601 text, written
    /// `2025-03-01 10:00:00` or `2025-03-01T10:00:00Z` alike; text comparison with a bound inside a day would tell
    /// them apart (`T` sorts after a space), so such bounds compare with `datetime(column)`, which reads every ISO
    /// form (and an offset) as `YYYY-MM-DD HH:MM:SS` in UTC. Day-aligned bounds are dates, which compare correctly
    /// with every form as text and keep an index usable.
    static func bounds(start: Instant, end: Instant, dialect: SQLDialect) -> (start: String, end: String, normalize: Bool) {
        let alignedDays = isMidnight(start) && isMidnight(end)
        return (literal(start, dialect, alignedDays: alignedDays), literal(end, dialect, alignedDays: alignedDays), dialect == .sqlite && !alignedDays)
    }

    static func isMidnight(_ i: Instant) -> Bool { i.seconds % 86_400 == 0 && i.microseconds == 0 }

    /// A UTC timestamp literal. SQLite stores dates and times as ISO text: day-aligned bounds are written as dates,
    /// which compare correctly against both `2025-01-01` and `2025-01-01 10:00:00` values.
    public static func literal(_ instant: Instant, _ dialect: SQLDialect, alignedDays: Bool = false) -> String {
        let civil = CivilDateTime(instant, offsetSeconds: 0)
        let text = timestamp(civil)
        switch dialect {
        case .clickhouse: return "toDateTime('\(text)', 'UTC')"
        case .postgres: return "TIMESTAMPTZ '\(text)+00'"
        case .athena: return "TIMESTAMP '\(text)'"
        case .sqlite: return alignedDays ? "'\(text.prefix(10))'" : "'\(text)'"
        case .generic: return "'\(text)'"
        }
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]`, written digit by digit: this runs for every unit of large plans.
    static func timestamp(_ c: CivilDateTime) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(26)
        func put(_ value: Int, _ width: Int) {
            var digits = [UInt8](repeating: 0x30, count: width)
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) {
                digits[i] = UInt8(0x30 + v % 10)
                v /= 10
            }
            bytes += digits
        }
        put(c.year, 4); bytes.append(0x2D); put(c.month, 2); bytes.append(0x2D); put(c.day, 2)
        bytes.append(0x20)
        put(c.hour, 2); bytes.append(0x3A); put(c.minute, 2); bytes.append(0x3A); put(c.second, 2)
        if c.microsecond != 0 {
            bytes.append(0x2E)
            put(c.microsecond, 6)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
