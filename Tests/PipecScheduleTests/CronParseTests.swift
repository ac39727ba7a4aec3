import Testing
@testable import PipecSchedule

struct CronParseTests {
    /// Bits as the list of values they hold.
    func values(_ bits: UInt64) -> [Int] { (0..<64).filter { bits & (1 << UInt64($0)) != 0 } }

    @Test func expandsFields() throws {
        let c = try cron("*/15 1-10/2 5/10 JAN,mar-May sun,7")
        #expect(values(c.minutes) == [0, 15, 30, 45])
        #expect(values(c.hours) == [1, 3, 5, 7, 9])
        #expect(values(c.daysOfMonth) == [5, 15, 25])
        #expect(values(c.months) == [1, 3, 4, 5])
        #expect(values(c.daysOfWeek) == [0])
        #expect(c.fields == ["*/15", "1-10/2", "5/10", "JAN,mar-May", "sun,7"])
    }

    @Test(arguments: [
        ("0 0 * * MON-FRI", [1, 2, 3, 4, 5]),
        ("0 0 * * FRI-MON", [0, 1, 5, 6]),
        ("0 0 * * 0-7", [0, 1, 2, 3, 4, 5, 6]),
        ("0 0 * * 1-7", [0, 1, 2, 3, 4, 5, 6]),
        ("0 0 * * 5-7", [0, 5, 6]),
        ("0 0 * * 0-7/2", [0, 2, 4, 6]),
        ("0 0 * * 1-7/2", [0, 1, 3, 5]),
        ("0 0 * * */2", [0, 2, 4, 6]),
        ("0 0 * * Sun,Sat", [0, 6]),
    ] as [(String, [Int])])
    func expandsWeekdays(text: String, expected: [Int]) throws {
        #expect(values(try cron(text).daysOfWeek) == expected)
    }

    @Test func monthRangesWrap() throws {
        #expect(values(try cron("0 0 * NOV-FEB *").months) == [1, 2, 11, 12])
    }

    @Test func stepsLargerThanTheRangeKeepTheStart() throws {
        #expect(values(try cron("*/70 * * * *").minutes) == [0])
        #expect(values(try cron("59/15 * * * *").minutes) == [59])
    }

    @Test(arguments: [
        ("@hourly", "0 * * * *"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"), ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@quarterly", "0 0 1 */3 *"),
        ("@DAILY", "0 0 * * *"),
    ])
    func expandsPresets(preset: String, fields: String) throws {
        let c = try cron(preset)
        let expanded = try cron(fields)
        #expect(c.text == preset.lowercased())
        #expect(c.description == preset.lowercased())
        #expect((c.minutes, c.hours, c.daysOfMonth, c.months, c.daysOfWeek)
            == (expanded.minutes, expanded.hours, expanded.daysOfMonth, expanded.months, expanded.daysOfWeek))
    }

    @Test func normalisesBlanks() throws {
        #expect(try cron("  0   3 * *\t*  ").description == "0 3 * * *")
        #expect(try cron("0 3 * * *") == cron(" 0 3  * * * "))
    }

    /// croniter's reading of "restricted" day fields (a bare `*`, or every value while the other day field
    /// mentions `*`, is unrestricted); when both are restricted they are OR-ed.
    @Test(arguments: [
        ("0 0 * * *", false, false), ("0 0 13 * 5", true, true), ("0 0 1-31 * 1", true, true),
        ("0 0 1 * 0-6", true, true), ("0 0 1-31 * */2", false, true), ("0 0 */2 * 1", true, true),
        ("0 0 1 * *", true, false), ("0 0 * * 1", false, true), ("0 0 */1 * *", false, false),
    ] as [(String, Bool, Bool)])
    func dayFieldRestriction(text: String, dom: Bool, dow: Bool) throws {
        let c = try cron(text)
        #expect(c.restrictsDayOfMonth == dom)
        #expect(c.restrictsDayOfWeek == dow)
    }

    @Test func everyHourDetection() throws {
        #expect(try cron("@hourly").coversEveryHour)
        #expect(try cron("0 */1 * * *").coversEveryHour)
        #expect(try cron("*/5 0-23 * * 1").coversEveryHour)
        #expect(try !cron("0 */2 * * *").coversEveryHour)
        #expect(try !cron("@daily").coversEveryHour)
    }

    @Test(arguments: [
        ("", "cron expression is empty; write five fields like '0 3 * * *' or a preset like @daily", 0, 1),
        ("0 3 * *", "invalid cron expression '0 3 * *': expected 5 fields (minute hour day-of-month month day-of-week), found 4", 0, 7),
        ("0 3 * * * *", "invalid cron expression '0 3 * * * *': expected 5 fields (minute hour day-of-month month day-of-week), found 6", 10, 1),
        ("60 3 * * *", "invalid cron expression '60 3 * * *': minute field: value 60 is out of range 0-59", 0, 2),
        ("0 24 * * *", "invalid cron expression '0 24 * * *': hour field: value 24 is out of range 0-23", 2, 2),
        ("0 3 0 * *", "invalid cron expression '0 3 0 * *': day-of-month field: value 0 is out of range 1-31", 4, 1),
        ("0 3 32 * *", "invalid cron expression '0 3 32 * *': day-of-month field: value 32 is out of range 1-31", 4, 2),
        ("0 3 * 13 *", "invalid cron expression '0 3 * 13 *': month field: value 13 is out of range 1-12", 6, 2),
        ("0 3 * * 8", "invalid cron expression '0 3 * * 8': day-of-week field: value 8 is out of range 0-7", 8, 1),
        ("0 3 * * 1-8", "invalid cron expression '0 3 * * 1-8': day-of-week field: value 8 is out of range 0-7", 10, 1),
        ("*/0 * * * *", "invalid cron expression '*/0 * * * *': minute field: step must be at least 1", 2, 1),
        ("*/x * * * *", "invalid cron expression '*/x * * * *': minute field: step 'x' must be a whole number", 2, 1),
        ("*/ * * * *", "invalid cron expression '*/ * * * *': minute field: step '' must be a whole number", 2, 1),
        ("*/+5 * * * *", "invalid cron expression '*/+5 * * * *': minute field: step '+5' must be a whole number", 2, 2),
        ("/5 * * * *", "invalid cron expression '/5 * * * *': minute field: missing value before '/'", 0, 1),
        ("1,,2 * * * *", "invalid cron expression '1,,2 * * * *': minute field: empty list item", 2, 1),
        ("1, * * * *", "invalid cron expression '1, * * * *': minute field: empty list item", 1, 1),
        ("0 3 * JANX *", "invalid cron expression '0 3 * JANX *': month field: unknown name 'JANX'; expected JAN-DEC", 6, 4),
        ("0 3 * * MOND", "invalid cron expression '0 3 * * MOND': day-of-week field: unknown name 'MOND'; expected SUN-SAT", 8, 4),
        ("0 MON * * *", "invalid cron expression '0 MON * * *': hour field: 'MON' is not a number; names are only allowed in the month and day-of-week fields", 2, 3),
        ("0 3 L * *", "invalid cron expression '0 3 L * *': day-of-month field: 'L' is not a number; names are only allowed in the month and day-of-week fields", 4, 1),
        ("0 3 * * 5#3", "invalid cron expression '0 3 * * 5#3': day-of-week field: unexpected '#'; pipec accepts numbers, names, *, lists (a,b), ranges (a-b) and steps (/n)", 9, 1),
        ("0 3 ? * *", "invalid cron expression '0 3 ? * *': day-of-month field: unexpected '?'; pipec accepts numbers, names, *, lists (a,b), ranges (a-b) and steps (/n)", 4, 1),
        ("0 5-5 * * *", "invalid cron expression '0 5-5 * * *': hour field: range '5-5' has equal ends; write the single value", 2, 3),
        ("0 0 * NOV-FEB/2 *", "invalid cron expression '0 0 * NOV-FEB/2 *': month field: a range that wraps around ('NOV-FEB') cannot have a step; list the values", 6, 9),
        ("0 0 30 2 *", "invalid cron expression '0 0 30 2 *': it never fires (no listed month has day 30)", 4, 2),
        ("0 0 31 4,6 *", "invalid cron expression '0 0 31 4,6 *': it never fires (no listed month has day 31)", 4, 2),
        ("@dayly", "invalid cron expression '@dayly': unknown preset '@dayly'; expected one of @hourly, @daily, @midnight, @weekly, @monthly, @quarterly, @yearly, @annually; did you mean @daily?", 0, 6),
        ("@once", "invalid cron expression '@once': @once is a schedule of its own, not a cron expression", 0, 5),
        ("@daily 3", "invalid cron expression '@daily 3': a preset stands alone", 7, 1),
        ("0 3 * * -1", "invalid cron expression '0 3 * * -1': day-of-week field: missing value", 8, 1),
    ] as [(String, String, Int, Int)])
    func rejectsWithColumn(text: String, message: String, column: Int, length: Int) {
        #expect(failure(CronExpression.parse(text)) == TimeParseError(message: message, column: column, length: length))
    }

    @Test func leapDayIsAccepted() throws {
        #expect(try cron("0 0 29 2 *").months == 1 << 2)
        // With a weekday as well the OR rule makes it fire every year.
        #expect(try cron("0 0 30 2 1").restrictsDayOfWeek)
    }
}
