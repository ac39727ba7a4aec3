import Testing
@testable import PipecSchedule

/// An instant from an ISO 8601 string with an explicit offset or `Z` (or a UTC wall clock).
func utc(_ text: String) throws -> Instant { try Timestamp.parse(text, zone: .utc).get() }

func zone(_ identifier: String) throws -> Zone { try #require(Zone(identifier: identifier)) }

func cron(_ text: String) throws -> CronExpression { try CronExpression.parse(text).get() }

/// A wall-clock reading `YYYY-MM-DDTHH:MM`.
func civil(_ text: String) throws -> CivilDateTime {
    var scanner = TimestampScanner(text)
    return try scanner.dateTime().get()
}

/// `YYYY-MM-DDTHH:MM` of a wall-clock reading, for readable comparisons.
func minuteString(_ c: CivilDateTime) -> String { String(c.isoString(offsetSeconds: 0).prefix(16)) }

/// The error a parse produced (nil when it succeeded).
func failure<T>(_ result: Result<T, TimeParseError>) -> TimeParseError? {
    if case .failure(let error) = result { return error }
    return nil
}
