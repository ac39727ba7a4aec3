import Testing
@testable import PipecSchedule

struct TimestampTests {
    @Test(arguments: [
        ("2025-01-01", "2025-01-01T00:00:00Z"),
        ("2025-01-01T03:00:00Z", "2025-01-01T03:00:00Z"),
        ("2025-01-01T03:00:00+02:00", "2025-01-01T01:00:00Z"),
        ("2025-01-01T03:00:00-0530", "2025-01-01T08:30:00Z"),
        ("2025-01-01T03:00:00+02", "2025-01-01T01:00:00Z"),
        ("2025-01-01T03:00", "2025-01-01T03:00:00Z"),
        ("2025-01-01 03:00:00", "2025-01-01T03:00:00Z"),
        ("2025-01-01t03:00:00z", "2025-01-01T03:00:00Z"),
        ("2025-01-01T03:00:00.25Z", "2025-01-01T03:00:00.250000Z"),
        ("2025-01-01T03:00:00.123456+00:00", "2025-01-01T03:00:00.123456Z"),
        ("2024-02-29", "2024-02-29T00:00:00Z"),
    ])
    func parsesInUTC(text: String, expected: String) throws {
        #expect(try Timestamp.parse(text, zone: .utc).get().description == expected)
    }

    @Test func wallClockIsReadInTheZone() throws {
        let amsterdam = try zone("Europe/Amsterdam")
        #expect(try Timestamp.parse("2025-01-01", zone: amsterdam).get().description == "2024-12-31T23:00:00Z")
        #expect(try Timestamp.parse("2025-07-01T03:00", zone: amsterdam).get().description == "2025-07-01T01:00:00Z")
        // An explicit offset wins over the zone.
        #expect(try Timestamp.parse("2025-07-01T03:00Z", zone: amsterdam).get().description == "2025-07-01T03:00:00Z")
        // DST gap: 02:30 does not exist on 2025-03-30; read past the gap as pendulum does (03:30 CEST).
        #expect(try Timestamp.parse("2025-03-30T02:30", zone: amsterdam).get().description == "2025-03-30T01:30:00Z")
        // DST fold: 02:30 happens twice on 2025-10-26; the later one (CET) is taken.
        #expect(try Timestamp.parse("2025-10-26T02:30", zone: amsterdam).get().description == "2025-10-26T01:30:00Z")
    }

    @Test func parsesBareDates() throws {
        #expect(try Timestamp.parseDate("2025-02-28").get() == CivilDateTime(year: 2025, month: 2, day: 28))
        #expect(failure(Timestamp.parseDate("2025-02-28T03:00")) == TimeParseError(
            message: "invalid timestamp '2025-02-28T03:00': expected only a date like 2025-01-31", column: 10, length: 6))
    }

    @Test(arguments: [
        ("2025-02-30", "invalid timestamp '2025-02-30': day 30 does not exist in February 2025, which has 28 days", 8, 2),
        ("2024-02-30", "invalid timestamp '2024-02-30': day 30 does not exist in February 2024, which has 29 days", 8, 2),
        ("2025-04-31", "invalid timestamp '2025-04-31': day 31 does not exist in April 2025, which has 30 days", 8, 2),
        ("2025-13-01", "invalid timestamp '2025-13-01': month 13 is out of range 1-12", 5, 2),
        ("2025-00-01", "invalid timestamp '2025-00-01': month 0 is out of range 1-12", 5, 2),
        ("2025-01-00", "invalid timestamp '2025-01-00': day 0 does not exist in January 2025, which has 31 days", 8, 2),
        ("2025-01-01T24:00", "invalid timestamp '2025-01-01T24:00': hour 24 is out of range 0-23", 11, 2),
        ("2025-01-01T10:60", "invalid timestamp '2025-01-01T10:60': minute 60 is out of range 0-59", 14, 2),
        ("2025-01-01T10:00:61", "invalid timestamp '2025-01-01T10:00:61': second 61 is out of range 0-59", 17, 2),
        ("2025-01-01T10", "invalid timestamp '2025-01-01T10': expected ':' between the time fields (HH:MM:SS)", 12, 1),
        ("2025-1-01", "invalid timestamp '2025-1-01': expected 2 digits for the month", 5, 2),
        ("25-01-01", "invalid timestamp '25-01-01': expected a date like 2025-01-31", 0, 8),
        ("", "invalid timestamp '': it is empty; write e.g. 2025-01-31", 0, 1),
        ("2025-01-01T03:00:00+25:00", "invalid timestamp '2025-01-01T03:00:00+25:00': UTC offset out of range (at most ±23:59)", 19, 6),
        ("2025-01-01T03:00:00 UTC", "invalid timestamp '2025-01-01T03:00:00 UTC': expected a UTC offset like Z or +02:00, found ' UTC'", 19, 4),
        ("2025-01-01T03:00:00.1234567Z", "invalid timestamp '2025-01-01T03:00:00.1234567Z': at most 6 fractional digits (microseconds) are kept", 26, 1),
        ("2025-01-01T03:00:00.Z", "invalid timestamp '2025-01-01T03:00:00.Z': expected digits after the decimal point", 20, 1),
    ] as [(String, String, Int, Int)])
    func rejectsWithColumn(text: String, message: String, column: Int, length: Int) {
        #expect(failure(Timestamp.parse(text, zone: .utc)) == TimeParseError(message: message, column: column, length: length))
    }
}
