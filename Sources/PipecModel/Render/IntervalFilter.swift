import PipecSchedule
import PipecTemplate

/// `interval_filter('col')`: `col >= <start> AND col < <end>` with the interval's bounds written as literals of
/// the dialect, so the same template filters correctly on every engine.
public enum IntervalFilter {
    public static func render(column: String, start: Instant, end: Instant, dialect: SQLDialect) -> String {
        "\(column) >= \(literal(start, dialect, alignedDays: isMidnight(start) && isMidnight(end))) AND "
            + "\(column) < \(literal(end, dialect, alignedDays: isMidnight(start) && isMidnight(end)))"
    }

    static func isMidnight(_ i: Instant) -> Bool { i.seconds % 86_400 == 0 && i.microseconds == 0 }

    /// A UTC timestamp literal. SQLite stores dates and times as ISO text: day-aligned bounds are written as dates,
    /// which compare correctly against both `2025-01-01` and `2025-01-01 10:00:00` values.
    public static func literal(_ instant: Instant, _ dialect: SQLDialect, alignedDays: Bool = false) -> String {
        let civil = CivilDateTime(instant, offsetSeconds: 0)
        let text = civil.isoString(offsetSeconds: 0, separator: " ").dropLast(6)   // drop "+00:00"
        switch dialect {
        case .clickhouse: return "toDateTime('\(text)', 'UTC')"
        case .postgres: return "TIMESTAMPTZ '\(text)+00'"
        case .athena: return "TIMESTAMP '\(text)'"
        case .sqlite: return alignedDays ? "'\(civil.dateString)'" : "'\(text)'"
        case .generic: return "'\(text)'"
        }
    }
}
