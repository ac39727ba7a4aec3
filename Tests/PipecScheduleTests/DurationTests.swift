import Testing
@testable import PipecSchedule

struct DurationTests {
    @Test(arguments: [
        ("500ms", 500), ("30s", 30_000), ("5m", 300_000), ("2h", 7_200_000), ("1d", 86_400_000),
        ("1h30m", 5_400_000), ("2m30s500ms", 150_500), ("1d2h", 93_600_000), ("0s", 0), ("90m", 5_400_000),
        ("1H", 3_600_000),
    ] as [(String, Int64)])
    func parsesUnitsAndCompounds(text: String, milliseconds: Int64) throws {
        #expect(try SpecDuration.parse(text).get().milliseconds == milliseconds)
    }

    @Test(arguments: [
        (90 * 60_000, "1h30m"), (500, "500ms"), (86_400_000, "1d"), (0, "0s"), (93_784_005, "1d2h3m4s5ms"),
    ] as [(Int64, String)])
    func describesCanonically(milliseconds: Int64, text: String) throws {
        let duration = SpecDuration(milliseconds: milliseconds)
        #expect(duration.description == text)
        #expect(try SpecDuration.parse(text).get() == duration)
    }

    @Test func secondsAndOrdering() {
        #expect(SpecDuration(milliseconds: 1500).seconds == 1.5)
        #expect(SpecDuration.seconds(30) < SpecDuration(milliseconds: 60_000))
    }

    @Test(arguments: [
        ("5x", "invalid duration '5x': unit must be one of ms, s, m, h, d", 1, 1),
        ("1w", "invalid duration '1w': unit must be one of ms, s, m, h, d", 1, 1),
        ("", "invalid duration '': it is empty; write e.g. 30s, 5m, 2h or 1h30m", 0, 1),
        ("5", "invalid duration '5': missing unit after 5; units are ms, s, m, h, d", 0, 1),
        ("h", "invalid duration 'h': expected a number at 'h'", 0, 1),
        ("30m1h", "invalid duration '30m1h': units must go from largest to smallest, each once (e.g. 1h30m)", 4, 1),
        ("1h1h", "invalid duration '1h1h': units must go from largest to smallest, each once (e.g. 1h30m)", 3, 1),
        ("1h 30m", "invalid duration '1h 30m': expected a number at ' 30m'", 2, 1),
        ("-5m", "invalid duration '-5m': expected a number at '-5m'", 0, 1),
        ("99999999999999999999s", "invalid duration '99999999999999999999s': the number is too large", 0, 19),
    ] as [(String, String, Int, Int)])
    func rejectsWithColumn(text: String, message: String, column: Int, length: Int) {
        #expect(failure(SpecDuration.parse(text)) == TimeParseError(message: message, column: column, length: length))
    }
}
