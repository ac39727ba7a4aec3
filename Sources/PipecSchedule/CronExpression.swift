import PipecDiagnostics

/// A five-field cron expression (minute hour day-of-month month day-of-week) or a preset such as `@daily`, with
/// the semantics of croniter as Airflow uses it:
/// - `*`, lists, ranges, steps (`*/15`, `1-10/2`, `5/15` = 5 to the maximum every 15), month names JAN-DEC and
///   weekday names SUN-SAT (case-insensitive), 0 and 7 both Sunday, ranges that wrap (`FRI-MON`);
/// - when day-of-month and day-of-week are both restricted, a day matches if *either* matches.
///
/// Each field is a bit set, so searching for the next or previous match skips whole months, days and hours at a
/// time. Zone-aware search (with Airflow's DST rules) is in `CronExpression+Zone.swift`.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written (trimmed, runs of blanks collapsed), e.g. `0 3 * * *` or `@daily`.
    public let text: String
    /// The five fields after expanding presets, as written.
    public let fields: [String]
    let minutes: UInt64
    let hours: UInt64
    /// Bits 1...31.
    let daysOfMonth: UInt64
    /// Bits 1...12.
    let months: UInt64
    /// Bits 0...6, Sunday = 0.
    let daysOfWeek: UInt64
    /// Whether each day field restricts days in croniter's sense; when both do, they are OR-ed.
    let restrictsDayOfMonth: Bool
    let restrictsDayOfWeek: Bool

    /// Whether the hour field is every hour. Airflow then computes neighbouring fire times by wall-clock
    /// difference instead of localizing each reading (its "fold hour" fix), which changes behaviour around DST.
    public let coversEveryHour: Bool

    public var description: String { text }

    init(text: String, fields: [String], minutes: UInt64, hours: UInt64, daysOfMonth: UInt64, months: UInt64,
         daysOfWeek: UInt64, restrictsDayOfMonth: Bool, restrictsDayOfWeek: Bool) {
        (self.text, self.fields) = (text, fields)
        (self.minutes, self.hours, self.daysOfMonth, self.months, self.daysOfWeek) = (minutes, hours, daysOfMonth, months, daysOfWeek)
        (self.restrictsDayOfMonth, self.restrictsDayOfWeek) = (restrictsDayOfMonth, restrictsDayOfWeek)
        coversEveryHour = hours == CronFieldKind.hour.fullMask
    }

    /// Preset name -> the five fields it stands for (Airflow's `cron_presets` plus croniter's aliases).
    public static let presets: [(name: String, fields: String)] = [
        ("@hourly", "0 * * * *"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"), ("@quarterly", "0 0 1 */3 *"), ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"),
    ]

    public static func parse(_ text: String) -> Result<CronExpression, TimeParseError> {
        let scalars = Array(text.unicodeScalars)
        // Fields with the column where each starts.
        var tokens: [(start: Int, scalars: [Unicode.Scalar])] = []
        var i = 0
        while i < scalars.count {
            if scalars[i] == " " || scalars[i] == "\t" { i += 1; continue }
            let start = i
            while i < scalars.count, scalars[i] != " ", scalars[i] != "\t" { i += 1 }
            tokens.append((start, Array(scalars[start..<i])))
        }
        let written = tokens.map { String(String.UnicodeScalarView($0.scalars)) }.joined(separator: " ")
        func fail(_ why: String, _ column: Int, _ length: Int) -> Result<CronExpression, TimeParseError> {
            .failure(TimeParseError(message: "invalid cron expression '\(written)': \(why)", column: column, length: length))
        }
        guard let first = tokens.first else {
            return .failure(TimeParseError(message: "cron expression is empty; write five fields like '0 3 * * *' or a preset like @daily",
                                           column: 0, length: max(1, scalars.count)))
        }
        if first.scalars.first == "@" {
            let name = String(String.UnicodeScalarView(first.scalars)).lowercased()
            if tokens.count > 1 {
                return fail("a preset stands alone", tokens[1].start, scalars.count - tokens[1].start)
            }
            if name == "@once" {
                return fail("@once is a schedule of its own, not a cron expression", first.start, first.scalars.count)
            }
            guard let preset = presets.first(where: { $0.name == name }) else {
                let names = presets.map(\.name)
                let hint = DidYouMean.suggest(name, from: names).map { "; did you mean \($0)?" } ?? ""
                return fail("unknown preset '\(name)'; expected one of \(names.joined(separator: ", "))\(hint)",
                            first.start, first.scalars.count)
            }
            // Columns of errors cannot arise from a preset's own fields; parse them as text.
            return parseFields(preset.fields.split(separator: " ").map { (0, Array($0.unicodeScalars)) },
                               text: name, errorText: preset.fields)
        }
        if tokens.count != 5 {
            let why = "expected 5 fields (minute hour day-of-month month day-of-week), found \(tokens.count)"
            if tokens.count > 5 {
                return fail(why, tokens[5].start, scalars.count - tokens[5].start)
            }
            return fail(why, first.start, scalars.count - first.start)
        }
        return parseFields(tokens, text: written, errorText: written)
    }

    private static func parseFields(_ tokens: [(start: Int, scalars: [Unicode.Scalar])], text: String,
                                    errorText: String) -> Result<CronExpression, TimeParseError> {
        var values: [CronFieldValue] = []
        for (kind, token) in zip(CronFieldKind.allCases, tokens) {
            let parser = CronFieldParser(kind: kind, scalars: token.scalars, base: token.start, expression: errorText)
            switch parser.parse() {
            case .failure(let error): return .failure(error)
            case .success(let value): values.append(value)
            }
        }
        let dom = values[CronFieldKind.dayOfMonth.rawValue]
        let dow = values[CronFieldKind.dayOfWeek.rawValue]
        // croniter treats a day field as unrestricted when it holds a bare `*`, or when it lists every value and
        // the other day field's text mentions `*`: `0 0 1-31 * 1` fires every day, `0 0 1-31 * */2` every other.
        let domFree = dom.hasBareStar || (dom.bits == CronFieldKind.dayOfMonth.fullMask && dow.mentionsStar)
        let dowFree = dow.hasBareStar || (dow.bits == CronFieldKind.dayOfWeek.fullMask && dom.mentionsStar)
        let expression = CronExpression(
            text: text, fields: tokens.map { String(String.UnicodeScalarView($0.scalars)) },
            minutes: values[0].bits, hours: values[1].bits, daysOfMonth: dom.bits, months: values[3].bits,
            daysOfWeek: dow.bits, restrictsDayOfMonth: !domFree, restrictsDayOfWeek: !dowFree)
        // A day-of-month that no listed month has (`0 0 30 2 *`) would never fire.
        if expression.restrictsDayOfMonth && !expression.restrictsDayOfWeek {
            let possible = (1...12).contains { month in
                expression.months & (1 << UInt64(month)) != 0
                    && expression.daysOfMonth & CronBits.mask(1, month == 2 ? 29 : CivilDateTime.daysInMonth(2001, month)) != 0
            }
            if !possible {
                let token = tokens[CronFieldKind.dayOfMonth.rawValue]
                return .failure(TimeParseError(
                    message: "invalid cron expression '\(errorText)': it never fires (no listed month has day \(String(String.UnicodeScalarView(token.scalars))))",
                    column: token.start, length: token.scalars.count))
            }
        }
        return .success(expression)
    }

    /// Whether the wall-clock minute `civil` (seconds ignored) is a match.
    public func matches(_ civil: CivilDateTime) -> Bool {
        minutes & (1 << UInt64(civil.minute)) != 0 && hours & (1 << UInt64(civil.hour)) != 0
            && months & (1 << UInt64(civil.month)) != 0
            && dayMask(year: civil.year, month: civil.month) & (1 << UInt64(civil.day)) != 0
    }

    /// Bits 1...31 of the days of `year`-`month` that match the day fields.
    func dayMask(year: Int, month: Int) -> UInt64 {
        let length = CivilDateTime.daysInMonth(year, month)
        let valid = CronBits.mask(1, length)
        if !restrictsDayOfWeek { return daysOfMonth & valid }
        // Weekday of the 1st (Sunday = 0); the weekday bits repeat every 7 days from there.
        let firstWeekday = CivilDateTime(year: year, month: month, day: 1).isoWeekday % 7
        var weekdays: UInt64 = 0
        var bits = daysOfWeek
        while bits != 0 {
            let weekday = bits.trailingZeroBitCount
            bits &= bits &- 1
            var day = 1 + (weekday - firstWeekday + 7) % 7
            while day <= length {
                weekdays |= 1 << UInt64(day)
                day += 7
            }
        }
        return restrictsDayOfMonth ? (daysOfMonth | weekdays) & valid : weekdays & valid
    }
}
