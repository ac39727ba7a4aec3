import PipecSchedule

/// Methods of datetime and date values: the stdlib ones (`strftime`, `isoformat`, `replace`, `date`) and
/// pendulum's (`add`, `subtract`, `in_timezone`, `start_of`, `format`, `to_*_string`) that Airflow templates use.
enum DateTimeMethods {
    static func zone(_ v: TemplateValue?) throws(EvalFailure) -> TimeZoneRef? {
        guard let v else { return nil }
        switch v {
        case .none: return nil
        case .string(let name):
            guard let z = TimeZoneRef(name: name) else {
                throw EvalFailure.value("unknown time zone", help: "use an IANA name such as 'Europe/Amsterdam' or 'UTC'")
            }
            return z
        default:
            throw EvalFailure.type("a time zone must be given as a str, not '\(PythonText.typeName(v))'")
        }
    }

    private static func int(_ v: TemplateValue?, _ name: String) throws(EvalFailure) -> Int {
        guard let v else { return 0 }
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .double(let d) where d == d.rounded() && abs(d) < 1e15: return Int(d)
        default: throw EvalFailure.type("'\(name)' must be an int, not '\(PythonText.typeName(v))'")
        }
    }

    private static func micros(_ v: TemplateValue?, _ unit: Double, _ name: String) throws(EvalFailure) -> Int64 {
        guard let v else { return 0 }
        switch v {
        case .int(let i): return try DateRange.micros(i, Int64(unit))
        case .bool(let b): return b ? Int64(unit) : 0
        case .double(let d) where d.isFinite: return try DateRange.micros(d, unit)
        default: throw EvalFailure.type("'\(name)' must be a number, not '\(PythonText.typeName(v))'")
        }
    }

    /// pendulum's `add`/`subtract` arguments: years, months, weeks, days, hours, minutes, seconds, microseconds.
    private static func shift(_ args: Args, _ name: String, sign: Int) throws(EvalFailure) -> (years: Int, months: Int, days: Int, micros: Int64) {
        let b = try args.bind(name, ["years", "months", "weeks", "days", "hours", "minutes", "seconds", "microseconds"])
        let years = try int(b[0], "years")
        let months = try int(b[1], "months")
        guard years.magnitude <= 10_000, months.magnitude <= 120_000 else { throw DateRange.outOfRange }
        let days = try DateRange.days(DateRange.days(int(b[2], "weeks")) * 7 + DateRange.days(int(b[3], "days")))
        let us = try DateRange.sum(DateRange.sum(micros(b[4], 3_600_000_000, "hours"), micros(b[5], 60_000_000, "minutes")),
                                   DateRange.sum(micros(b[6], 1_000_000, "seconds"), micros(b[7], 1, "microseconds")))
        return (years * sign, months * sign, days * sign, us * Int64(sign))
    }

    private static func truncate(_ c: CivilDateTime, _ unit: String, end: Bool) throws(EvalFailure) -> CivilDateTime {
        var r = c
        func dayStart() { (r.hour, r.minute, r.second, r.microsecond) = (0, 0, 0, 0) }
        func dayEnd() { (r.hour, r.minute, r.second, r.microsecond) = (23, 59, 59, 999_999) }
        switch unit {
        case "second": r.microsecond = end ? 999_999 : 0
        case "minute": (r.second, r.microsecond) = end ? (59, 999_999) : (0, 0)
        case "hour": (r.minute, r.second, r.microsecond) = end ? (59, 59, 999_999) : (0, 0, 0)
        case "day": end ? dayEnd() : dayStart()
        case "week":
            let shift = end ? Int64(7 - c.isoWeekday) : -Int64(c.isoWeekday - 1)
            (r.year, r.month, r.day) = CivilDateTime.civil(fromDays: c.epochDay + shift)
            end ? dayEnd() : dayStart()
        case "month":
            r.day = end ? CivilDateTime.daysInMonth(c.year, c.month) : 1
            end ? dayEnd() : dayStart()
        case "quarter":
            r.month = end ? (c.month - 1) / 3 * 3 + 3 : (c.month - 1) / 3 * 3 + 1
            r.day = end ? CivilDateTime.daysInMonth(r.year, r.month) : 1
            end ? dayEnd() : dayStart()
        case "year":
            (r.month, r.day) = end ? (12, 31) : (1, 1)
            end ? dayEnd() : dayStart()
        case "decade", "century":
            let first = unit == "decade" ? c.year - c.year % 10 : c.year - (c.year - 1) % 100
            r.year = end ? first + (unit == "decade" ? 9 : 99) : first
            (r.month, r.day) = end ? (12, 31) : (1, 1)
            end ? dayEnd() : dayStart()
        default:
            throw EvalFailure.value("unknown unit for start_of/end_of",
                                    help: "use 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'decade' or 'century'")
        }
        return r
    }

    /// `weekday()`, `isoweekday()` and `isocalendar()`, which dates and datetimes answer alike.
    private static func weekdayMethod(_ c: CivilDateTime, _ k: Known, _ args: Args) throws(EvalFailure) -> TemplateValue {
        try args.noArguments(k.rawValue)
        switch k {
        case .weekday: return .int(c.isoWeekday - 1)
        case .isoweekday: return .int(c.isoWeekday)
        default:
            let w = StrFTime.isoWeek(c)
            return .tuple([.int(w.year), .int(w.week), .int(c.isoWeekday)])
        }
    }

    private static func unitArgument(_ args: Args, _ name: String) throws(EvalFailure) -> String {
        let b = try args.bind(name, ["unit"], required: 1)
        guard case .string(let unit) = b[0]! else { throw EvalFailure.type("\(name)() expects the unit as a str") }
        return unit
    }

    static func call(_ dt: DateTimeValue, _ k: Known, _ args: Args) throws(EvalFailure) -> TemplateValue? {
        let c = dt.civil
        switch k {
        case .strftime:
            let b = try args.bind("strftime", ["format"], required: 1)
            guard case .string(let f) = b[0]! else { throw EvalFailure.type("strftime() argument must be a str") }
            return .string(StrFTime.format(dt, f))
        case .isoformat:
            let b = try args.bind("isoformat", ["sep", "timespec"])
            var sep: Character = "T"
            if let s = b[0] {
                guard case .string(let text) = s, text.count == 1, let ch = text.first else {
                    throw EvalFailure.type("isoformat() separator must be a single character")
                }
                sep = ch
            }
            if let spec = b[1], case .string(let timespec) = spec, timespec != "auto" {
                return .string(try isoformat(dt, sep, timespec))
            }
            return .string(dt.isoformat(separator: sep))
        case .date:
            try args.noArguments("date")
            return .date(DateValue(epochDay: c.epochDay, pendulum: dt.isPendulum))
        case .time, .to_time_string:
            try args.noArguments(k.rawValue)
            var s = ""
            if k == .to_time_string { var t = c; t.microsecond = 0; Digits.time(t, into: &s) } else { Digits.time(c, into: &s) }
            return .string(s)
        case .replace_:
            let b = try args.bind("replace", ["year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo"])
            var r = c
            if let v = b[0] { r.year = try int(v, "year") }
            if let v = b[1] { r.month = try int(v, "month") }
            if let v = b[2] { r.day = try int(v, "day") }
            if let v = b[3] { r.hour = try int(v, "hour") }
            if let v = b[4] { r.minute = try int(v, "minute") }
            if let v = b[5] { r.second = try int(v, "second") }
            if let v = b[6] { r.microsecond = try int(v, "microsecond") }
            try validate(r)
            let z = b[7] != nil ? try zone(b[7]) : dt.zone
            return .datetime(DateTimeValue(civil: r, zone: z, pendulum: dt.isPendulum))
        case .in_timezone, .in_tz, .astimezone:
            let b = try args.bind(k.rawValue, ["tz"], required: k == .astimezone ? 0 : 1)
            let z = try zone(b[0]) ?? .utc
            if dt.zone == nil && !dt.isPendulum {
                // Python reads a naive datetime as local time; pipec's machines run in UTC.
                return .datetime(DateTimeValue(instant: dt.instant, zone: z, pendulum: false))
            }
            return .datetime(DateTimeValue(instant: dt.instant, zone: z, pendulum: dt.isPendulum || k != .astimezone))
        case .add, .subtract:
            let s = try shift(args, k.rawValue, sign: k == .add ? 1 : -1)
            return try DateRange.checked(.datetime(dt.adding(years: s.years, months: s.months, days: s.days, micros: s.micros)))
        case .start_of, .end_of:
            let unit = try unitArgument(args, k.rawValue)
            return .datetime(dt.with(civil: try truncate(c, unit, end: k == .end_of)))
        case .first_of, .last_of:
            let unit = try unitArgument(args, k.rawValue)
            guard ["month", "quarter", "year"].contains(unit) else {
                throw EvalFailure.value("\(k.rawValue)() unit must be 'month', 'quarter' or 'year'")
            }
            var r = try truncate(c, unit, end: k == .last_of)
            (r.hour, r.minute, r.second, r.microsecond) = (0, 0, 0, 0)
            return .datetime(dt.with(civil: r))
        case .weekday, .isoweekday, .isocalendar:
            return try weekdayMethod(c, k, args)
        case .timestamp:
            try args.noArguments("timestamp")
            return .double(Double(dt.instant.seconds) + Double(dt.instant.microseconds) / 1_000_000)
        case .utcoffset:
            try args.noArguments("utcoffset")
            return dt.zone == nil ? TemplateValue.none : .timedelta(TimeDelta(microseconds: Int64(dt.offset) * 1_000_000))
        case .tzname:
            try args.noArguments("tzname")
            return dt.zone.map { .string($0.abbreviation(at: dt.instant)) } ?? TemplateValue.none
        case .naive:
            try args.noArguments("naive")
            return .datetime(DateTimeValue(naive: c, pendulum: true))
        case .is_leap_year:
            try args.noArguments("is_leap_year")
            return .bool(CivilDateTime.isLeapYear(c.year))
        case .to_date_string:
            try args.noArguments(k.rawValue)
            var s = ""
            Digits.date(c, into: &s)
            return .string(s)
        case .to_datetime_string:
            try args.noArguments(k.rawValue)
            var t = c
            t.microsecond = 0
            var s = ""
            Digits.date(t, into: &s)
            s.append(" ")
            Digits.time(t, into: &s)
            return .string(s)
        case .to_iso8601_string:
            try args.noArguments(k.rawValue)
            var s = dt.isoformat()
            if dt.zone != nil, dt.offset == 0, s.hasSuffix("+00:00") { s.removeLast(6); s.append("Z") }
            return .string(s)
        case .diff:
            let b = try args.bind("diff", ["dt", "abs"], required: 1)
            guard case .datetime(let other) = b[0]! else { throw EvalFailure.type("diff() expects a datetime") }
            guard other.isAware == dt.isAware else { throw EvalFailure.type("cannot subtract an offset-naive and an offset-aware datetime") }
            var us = other.instant.totalMicroseconds - dt.instant.totalMicroseconds
            if b[1].map(Ops.truthy) ?? true { us = abs(us) }
            return .timedelta(TimeDelta(microseconds: us, flavor: .interval(IntervalEnds(start: .datetime(dt), end: b[0]!))))
        case .format:
            let b = try args.bind("format", ["fmt", "locale"], required: 1)
            guard case .string(let f) = b[0]! else { throw EvalFailure.type("format() expects a str") }
            return .string(PendulumFormat.format(StrFTime.Moment(civil: c, offset: dt.zone == nil ? nil : dt.offset, zone: dt.zone, instant: dt.instant), f))
        default:
            return nil
        }
    }

    private static func validate(_ c: CivilDateTime) throws(EvalFailure) {
        guard (1...9999).contains(c.year) else { throw EvalFailure.value("year is out of range") }
        guard (1...12).contains(c.month) else { throw EvalFailure.value("month must be in 1..12") }
        guard (1...CivilDateTime.daysInMonth(c.year, c.month)).contains(c.day) else { throw EvalFailure.value("day is out of range for month") }
        guard (0...23).contains(c.hour) else { throw EvalFailure.value("hour must be in 0..23") }
        guard (0...59).contains(c.minute) else { throw EvalFailure.value("minute must be in 0..59") }
        guard (0...59).contains(c.second) else { throw EvalFailure.value("second must be in 0..59") }
        guard (0...999_999).contains(c.microsecond) else { throw EvalFailure.value("microsecond must be in 0..999999") }
    }

    static func validated(_ c: CivilDateTime) throws(EvalFailure) -> CivilDateTime {
        try validate(c)
        return c
    }

    private static func isoformat(_ dt: DateTimeValue, _ sep: Character, _ timespec: String) throws(EvalFailure) -> String {
        let c = dt.civil
        var s = ""
        Digits.date(c, into: &s)
        s.append(sep)
        switch timespec {
        case "hours": Digits.pad(c.hour, 2, into: &s)
        case "minutes": s += Digits.padded(c.hour, 2) + ":" + Digits.padded(c.minute, 2)
        case "seconds", "milliseconds", "microseconds":
            s += Digits.padded(c.hour, 2) + ":" + Digits.padded(c.minute, 2) + ":" + Digits.padded(c.second, 2)
            if timespec == "milliseconds" { s += "." + Digits.padded(c.microsecond / 1000, 3) }
            if timespec == "microseconds" { s += "." + Digits.padded(c.microsecond, 6) }
        default: throw EvalFailure.value("unknown timespec value")
        }
        if dt.zone != nil { Digits.offset(dt.offset, colon: true, into: &s) }
        return s
    }

    static func call(_ d: DateValue, _ k: Known, _ args: Args) throws(EvalFailure) -> TemplateValue? {
        let c = d.civil
        switch k {
        case .strftime:
            let b = try args.bind("strftime", ["format"], required: 1)
            guard case .string(let f) = b[0]! else { throw EvalFailure.type("strftime() argument must be a str") }
            return .string(StrFTime.format(.date(d), f))
        case .isoformat, .to_date_string:
            try args.noArguments(k.rawValue)
            return .string(d.isoString)
        case .weekday, .isoweekday, .isocalendar:
            return try weekdayMethod(c, k, args)
        case .is_leap_year:
            try args.noArguments("is_leap_year")
            return .bool(CivilDateTime.isLeapYear(c.year))
        case .replace_:
            let b = try args.bind("replace", ["year", "month", "day"])
            var r = c
            if let v = b[0] { r.year = try int(v, "year") }
            if let v = b[1] { r.month = try int(v, "month") }
            if let v = b[2] { r.day = try int(v, "day") }
            try validate(r)
            return .date(DateValue(epochDay: r.epochDay, pendulum: d.isPendulum))
        case .add, .subtract:
            let s = try shift(args, k.rawValue, sign: k == .add ? 1 : -1)
            let moved = try DateRange.checked(.datetime(DateTimeValue(naive: c).adding(years: s.years, months: s.months, days: s.days, micros: 0)))
            guard case .datetime(let m) = moved else { return nil }
            return .date(DateValue(epochDay: m.civil.epochDay, pendulum: d.isPendulum))
        case .format:
            let b = try args.bind("format", ["fmt", "locale"], required: 1)
            guard case .string(let f) = b[0]! else { throw EvalFailure.type("format() expects a str") }
            return .string(PendulumFormat.format(StrFTime.Moment(civil: c, offset: nil, zone: nil, instant: c.instant(offsetSeconds: 0)), f))
        default:
            return nil
        }
    }
}

/// pendulum's token formatting (`logical_date.format('YYYY-MM-DD')`), English locale.
enum PendulumFormat {
    private static let tokens = ["YYYY", "YY", "Q", "MMMM", "MMM", "MM", "M", "DDDD", "DDD", "Do", "DD", "D", "dddd", "ddd", "dd", "d",
                                 "E", "HH", "H", "hh", "h", "mm", "m", "ss", "s", "A", "X", "x", "zz", "z", "ZZ", "Z"]

    static func format(_ m: StrFTime.Moment, _ pattern: String) -> String {
        let c = m.civil
        let chars = Array(pattern)
        var out = ""
        var i = 0
        while i < chars.count {
            if chars[i] == "[" , let close = chars[i...].firstIndex(of: "]") {
                out += String(chars[(i + 1)..<close])
                i = close + 1
                continue
            }
            if chars[i] == "S" {
                var n = 0
                while i + n < chars.count, chars[i + n] == "S", n < 9 { n += 1 }
                let digits = Digits.padded(c.microsecond, 6) + "000"
                out += String(digits.prefix(n))
                i += n
                continue
            }
            guard let token = tokens.first(where: { t in
                i + t.count <= chars.count && String(chars[i..<(i + t.count)]) == t
            }) else {
                out.append(chars[i])
                i += 1
                continue
            }
            i += token.count
            let h12 = c.hour % 12 == 0 ? 12 : c.hour % 12
            switch token {
            case "YYYY": out += Digits.padded(c.year, 4)
            case "YY": out += Digits.padded(c.year % 100, 2)
            case "Q": out += String((c.month - 1) / 3 + 1)
            case "MMMM": out += StrFTime.months[c.month - 1]
            case "MMM": out += String(StrFTime.months[c.month - 1].prefix(3))
            case "MM": out += Digits.padded(c.month, 2)
            case "M": out += String(c.month)
            case "DDDD": out += Digits.padded(c.dayOfYear, 3)
            case "DDD": out += String(c.dayOfYear)
            case "Do": out += ordinal(c.day)
            case "DD": out += Digits.padded(c.day, 2)
            case "D": out += String(c.day)
            case "dddd": out += StrFTime.weekdays[c.isoWeekday - 1]
            case "ddd": out += String(StrFTime.weekdays[c.isoWeekday - 1].prefix(3))
            case "dd": out += String(StrFTime.weekdays[c.isoWeekday - 1].prefix(2))
            case "d": out += String(c.isoWeekday % 7)
            case "E": out += String(c.isoWeekday)
            case "HH": out += Digits.padded(c.hour, 2)
            case "H": out += String(c.hour)
            case "hh": out += Digits.padded(h12, 2)
            case "h": out += String(h12)
            case "mm": out += Digits.padded(c.minute, 2)
            case "m": out += String(c.minute)
            case "ss": out += Digits.padded(c.second, 2)
            case "s": out += String(c.second)
            case "A": out += c.hour < 12 ? "AM" : "PM"
            case "X": out += String(m.instant.seconds)
            case "x": out += String(m.instant.seconds * 1000 + Int64(m.instant.microseconds / 1000))
            case "zz": out += m.zone.map { $0.abbreviation(at: m.instant) } ?? ""
            case "z": out += m.zone?.name ?? ""
            case "ZZ": if let o = m.offset { Digits.offset(o, colon: false, into: &out) }
            case "Z": if let o = m.offset { Digits.offset(o, colon: true, into: &out) }
            default: out += token
            }
        }
        return out
    }

    private static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 10, n % 100) {
        case (_, 11...13): suffix = "th"
        case (1, _): suffix = "st"
        case (2, _): suffix = "nd"
        case (3, _): suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }
}
