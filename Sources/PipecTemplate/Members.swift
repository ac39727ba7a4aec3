import PipecSchedule

/// Every attribute and method name the engine implements, interned at parse time.
enum Known: String, CaseIterable {
    // str
    case upper, lower, strip, lstrip, rstrip, split, rsplit, splitlines, replace, startswith, endswith, format, title
    case capitalize, join, find, rfind, count, index, zfill, isdigit, isalpha, isalnum, islower, isupper, isspace
    case ljust, rjust, center, partition, rpartition, casefold, swapcase
    // dict
    case get, keys, values, items
    // datetime / date (stdlib and pendulum)
    case year, month, day, hour, minute, second, microsecond, tzinfo
    case strftime, isoformat, date, time, replace_ = "__replace__", astimezone, weekday, isoweekday, timestamp
    case utcoffset, tzname, isocalendar
    // pendulum only
    case in_timezone, in_tz, add, subtract, start_of, end_of, first_of, last_of, to_date_string, to_datetime_string
    case to_time_string, to_iso8601_string, naive, is_leap_year, diff, day_of_week, day_of_year, days_in_month
    case week_of_year, quarter, int_timestamp, float_timestamp, timezone, timezone_name, tz, offset, offset_hours
    // timedelta / Duration / Interval
    case total_seconds, days, seconds, microseconds, in_days, in_hours, in_minutes, in_seconds, in_weeks, in_words
    case hours, minutes, weeks, remaining_days, remaining_seconds, start, end
}

/// Attributes and methods of built-in values. Pendulum-only members are refused on stdlib datetimes
/// (`macros.datetime(...)`), as Python would.
enum Members {
    private static let stringMethods: Set<Known> = [.upper, .lower, .strip, .lstrip, .rstrip, .split, .rsplit, .splitlines, .replace_,
        .startswith, .endswith, .format, .title, .capitalize, .join, .find, .rfind, .count, .index, .zfill, .isdigit, .isalpha,
        .isalnum, .islower, .isupper, .isspace, .ljust, .rjust, .center, .partition, .rpartition, .casefold, .swapcase]
    private static let stdlibDateTime: Set<Known> = [.year, .month, .day, .hour, .minute, .second, .microsecond, .tzinfo,
        .strftime, .isoformat, .date, .time, .replace_, .astimezone, .weekday, .isoweekday, .timestamp, .utcoffset, .tzname, .isocalendar]
    private static let pendulumDateTime: Set<Known> = stdlibDateTime.union([.in_timezone, .in_tz, .add, .subtract, .start_of, .end_of,
        .first_of, .last_of, .to_date_string, .to_datetime_string, .to_time_string, .to_iso8601_string, .naive, .is_leap_year, .diff,
        .day_of_week, .day_of_year, .days_in_month, .week_of_year, .quarter, .int_timestamp, .float_timestamp, .timezone,
        .timezone_name, .tz, .offset, .offset_hours, .format])
    private static let stdlibDate: Set<Known> = [.year, .month, .day, .strftime, .isoformat, .replace_, .weekday, .isoweekday, .isocalendar]
    private static let pendulumDate: Set<Known> = stdlibDate.union([.add, .subtract, .day_of_week, .day_of_year, .days_in_month,
        .to_date_string, .is_leap_year, .format, .week_of_year, .quarter])
    private static let timedeltaMembers: Set<Known> = [.total_seconds, .days, .seconds, .microseconds]
    private static let durationMembers: Set<Known> = timedeltaMembers.union([.in_days, .in_hours, .in_minutes, .in_seconds,
        .in_weeks, .in_words, .hours, .minutes, .weeks, .remaining_days, .remaining_seconds])
    private static let properties: Set<Known> = [.year, .month, .day, .hour, .minute, .second, .microsecond, .tzinfo, .day_of_week,
        .day_of_year, .days_in_month, .week_of_year, .quarter, .int_timestamp, .float_timestamp, .timezone, .timezone_name, .tz,
        .offset, .offset_hours, .days, .seconds, .microseconds, .hours, .minutes, .weeks, .remaining_days, .remaining_seconds, .start, .end]

    /// `replace` is both a str method and a datetime method; the enum keeps one case for it.
    static func known(_ member: Member) -> Known? {
        member.known
    }

    static func members(for value: TemplateValue) -> Set<Known> {
        switch value {
        case .string: return stringMethods
        case .list, .tuple: return [.index, .count]
        case .dict: return [.get, .keys, .values, .items]
        case .datetime(let d): return d.isPendulum ? pendulumDateTime : stdlibDateTime
        case .date(let d): return d.isPendulum ? pendulumDate : stdlibDate
        case .timedelta(let t):
            if case .interval = t.flavor { return durationMembers.union([.start, .end]) }
            return t.isPendulum ? durationMembers : timedeltaMembers
        default: return []
        }
    }

    static func names(for value: TemplateValue) -> [String] {
        members(for: value).map { $0 == .replace_ ? "replace" : $0.rawValue }.sorted()
    }

    static func isMethod(_ member: Member, of value: TemplateValue) -> Bool {
        guard let k = known(member) else { return false }
        return members(for: value).contains(k) && !properties.contains(k)
    }

    // MARK: properties

    static func property(_ value: TemplateValue, _ member: Member) throws(EvalFailure) -> TemplateValue? {
        guard let k = known(member), properties.contains(k), members(for: value).contains(k) else { return nil }
        switch value {
        case .datetime(let dt): return datetimeProperty(dt, k)
        case .date(let d):
            let c = d.civil
            switch k {
            case .year: return .int(c.year)
            case .month: return .int(c.month)
            case .day: return .int(c.day)
            case .day_of_week: return .int(c.isoWeekday - 1)
            case .day_of_year: return .int(c.dayOfYear)
            case .days_in_month: return .int(CivilDateTime.daysInMonth(c.year, c.month))
            case .week_of_year: return .int(StrFTime.isoWeek(c).week)
            case .quarter: return .int((c.month - 1) / 3 + 1)
            default: return nil
            }
        case .timedelta(let t): return timedeltaProperty(t, k)
        default: return nil
        }
    }

    private static func datetimeProperty(_ dt: DateTimeValue, _ k: Known) -> TemplateValue? {
        let c = dt.civil
        switch k {
        case .year: return .int(c.year)
        case .month: return .int(c.month)
        case .day: return .int(c.day)
        case .hour: return .int(c.hour)
        case .minute: return .int(c.minute)
        case .second: return .int(c.second)
        case .microsecond: return .int(c.microsecond)
        case .tzinfo, .timezone, .tz: return dt.zone.map { .string($0.name) } ?? TemplateValue.none
        case .timezone_name: return dt.zone.map { .string($0.name) } ?? TemplateValue.none
        case .day_of_week: return .int(c.isoWeekday - 1)
        case .day_of_year: return .int(c.dayOfYear)
        case .days_in_month: return .int(CivilDateTime.daysInMonth(c.year, c.month))
        case .week_of_year: return .int(StrFTime.isoWeek(c).week)
        case .quarter: return .int((c.month - 1) / 3 + 1)
        case .int_timestamp: return .int(Int(dt.instant.seconds))
        case .float_timestamp: return .double(timestamp(dt))
        case .offset: return dt.zone == nil ? TemplateValue.none : .int(dt.offset)
        case .offset_hours: return dt.zone == nil ? TemplateValue.none : .double(Double(dt.offset) / 3600)
        default: return nil
        }
    }

    private static func timestamp(_ dt: DateTimeValue) -> Double {
        Double(dt.instant.seconds) + Double(dt.instant.microseconds) / 1_000_000
    }

    private static func timedeltaProperty(_ t: TimeDelta, _ k: Known) -> TemplateValue? {
        let (days, seconds, micros) = t.pythonFields
        let sign: Int64 = t.microseconds < 0 ? -1 : 1
        let magnitude = abs(t.microseconds) / 1_000_000
        switch k {
        case .days: return .int(Int(days))
        case .seconds: return .int(Int(seconds))
        case .microseconds: return .int(Int(micros))
        case .hours: return .int(Int(sign * (magnitude % 86_400 / 3600)))
        case .minutes: return .int(Int(sign * (magnitude % 3600 / 60)))
        case .remaining_seconds: return .int(Int(sign * (magnitude % 60)))
        case .weeks: return .int(Int(sign * (magnitude / 604_800)))
        case .remaining_days: return .int(Int(sign * (magnitude % 604_800 / 86_400)))
        case .start:
            if case .interval(let ends) = t.flavor { return ends.start }
            return nil
        case .end:
            if case .interval(let ends) = t.flavor { return ends.end }
            return nil
        default: return nil
        }
    }

    // MARK: methods

    static func method(_ value: TemplateValue, _ member: Member, _ args: Args, _ renderer: Renderer?) throws(EvalFailure) -> TemplateValue? {
        guard let k = known(member), members(for: value).contains(k), !properties.contains(k) else { return nil }
        switch value {
        case .string(let s): return try StringMemberCalls.call(s, k, args)
        case .list(let items), .tuple(let items):
            let b = try args.bind(k.rawValue, ["value"], required: 1)
            if k == .count { return .int(items.filter { Ops.equal($0, b[0]!) }.count) }
            guard let at = items.firstIndex(where: { Ops.equal($0, b[0]!) }) else {
                throw EvalFailure.value("the value is not in the \(PythonText.typeName(value))")
            }
            return .int(at)
        case .datetime(let dt): return try DateTimeMethods.call(dt, k, args)
        case .date(let d): return try DateTimeMethods.call(d, k, args)
        case .timedelta(let t): return try timedeltaMethod(t, k, args)
        default: return nil
        }
    }

    static func dictMethod(_ d: TemplateDict, _ k: Known, _ args: Args) throws(EvalFailure) -> TemplateValue? {
        switch k {
        case .get:
            let b = try args.bind("get", ["key", "default"], required: 1)
            return d.lookup(b[0]!) ?? b[1] ?? TemplateValue.none
        case .keys:
            try args.noArguments("keys")
            return .list(d.keys)
        case .values:
            try args.noArguments("values")
            return .list(d.values)
        case .items:
            try args.noArguments("items")
            return .list((0..<d.count).map { .tuple([d.keys[$0], d.values[$0]]) })
        default:
            return nil
        }
    }

    private static func timedeltaMethod(_ t: TimeDelta, _ k: Known, _ args: Args) throws(EvalFailure) -> TemplateValue? {
        try args.noArguments(k.rawValue)
        let us = t.microseconds
        func whole(_ unit: Int64) -> TemplateValue { .int(Int(us / unit)) }
        switch k {
        case .total_seconds: return .double(Double(us) / 1_000_000)
        case .in_seconds: return whole(1_000_000)
        case .in_minutes: return whole(60_000_000)
        case .in_hours: return whole(3_600_000_000)
        case .in_days: return whole(86_400_000_000)
        case .in_weeks: return whole(604_800_000_000)
        case .in_words: return .string(PythonText.durationWords(us))
        default: return nil
        }
    }
}

/// `str` method calls.
enum StringMemberCalls {
    private static func string(_ v: TemplateValue?, _ what: String) throws(EvalFailure) -> String? {
        guard let v else { return nil }
        switch v {
        case .string(let s): return s
        case .none: return nil
        default: throw EvalFailure.type("\(what) must be a str or None, not '\(PythonText.typeName(v))'")
        }
    }

    private static func prefixes(_ v: TemplateValue, _ what: String) throws(EvalFailure) -> [String] {
        switch v {
        case .string(let s): return [s]
        case .tuple(let items), .list(let items):
            var result: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw EvalFailure.type("\(what) must be a str or a tuple of str") }
                result.append(s)
            }
            return result
        default: throw EvalFailure.type("\(what) must be a str or a tuple of str, not '\(PythonText.typeName(v))'")
        }
    }

    static func call(_ s: String, _ k: Known, _ args: Args) throws(EvalFailure) -> TemplateValue {
        switch k {
        case .upper: try args.noArguments("upper"); return .string(PyStr.upper(s))
        case .lower, .casefold: try args.noArguments(k.rawValue); return .string(PyStr.lower(s))
        case .swapcase:
            try args.noArguments("swapcase")
            return .string(PyStr.swapcase(s))
        case .strip, .lstrip, .rstrip:
            let b = try args.bind(k.rawValue, ["chars"])
            let chars = try string(b[0], "chars").map { Set($0.unicodeScalars) }
            return .string(StringMethods.strip(s, chars, leading: k != .rstrip, trailing: k != .lstrip))
        case .split, .rsplit:
            let b = try args.bind(k.rawValue, ["sep", "maxsplit"])
            let sep = try string(b[0], "sep")
            if sep == "" { throw EvalFailure.value("empty separator") }
            let maxSplit = try b[1].map { v throws(EvalFailure) in try Filters.intArgument(v, "maxsplit") } ?? -1
            let parts = k == .split ? StringMethods.split(s, sep, maxSplit: maxSplit) : StringMethods.rsplit(s, sep, maxSplit: maxSplit)
            return .strings(parts)
        case .splitlines:
            let b = try args.bind("splitlines", ["keepends"])
            let keep = b[0].map(Ops.truthy) ?? false
            var lines: [String] = []
            // str.splitlines: \r\n is one break; the other breaks are single code points.
            var current = String.UnicodeScalarView()
            var scalars = s.unicodeScalars[...]
            while let c = scalars.popFirst() {
                let isBreak = (0x0A...0x0D).contains(c.value) || (0x1C...0x1E).contains(c.value)
                    || c.value == 0x85 || c.value == 0x2028 || c.value == 0x2029
                guard isBreak else { current.append(c); continue }
                if keep { current.append(c) }
                if c == "\r", scalars.first == "\n" {
                    scalars.removeFirst()
                    if keep { current.append("\n") }
                }
                lines.append(String(current))
                current = String.UnicodeScalarView()
            }
            if !current.isEmpty { lines.append(String(current)) }
            return .strings(lines)
        case .replace_:
            let b = try args.bind("replace", ["old", "new", "count"], required: 2)
            guard case .string(let old) = b[0]!, case .string(let new) = b[1]! else {
                throw EvalFailure.type("replace() arguments must be str")
            }
            let count = try b[2].map { v throws(EvalFailure) in try Filters.intArgument(v, "count") }
            return .string(StringMethods.replace(s, old, new, count: count))
        case .startswith, .endswith:
            let b = try args.bind(k.rawValue, ["prefix"], required: 1)
            let options = try prefixes(b[0]!, k == .startswith ? "startswith first arg" : "endswith first arg")
            return .bool(options.contains { k == .startswith ? PyStr.hasPrefix(s, $0) : PyStr.hasSuffix(s, $0) })
        case .format:
            return .string(try BraceFormat.format(s, args.positional, args.keywords.map { ($0.name, $0.value) }))
        case .title: try args.noArguments("title"); return .string(StringMethods.title(s))
        case .capitalize: try args.noArguments("capitalize"); return .string(StringMethods.capitalize(s))
        case .join:
            let b = try args.bind("join", ["iterable"], required: 1)
            let items = try Filters.sequence(b[0]!, "join")
            var parts: [String] = []
            for (i, item) in items.enumerated() {
                guard case .string(let p) = item else {
                    throw EvalFailure.type("sequence item \(i): expected str instance, \(PythonText.typeName(item)) found")
                }
                parts.append(p)
            }
            return .string(parts.joined(separator: s))
        case .find, .rfind, .index:
            let b = try args.bind(k.rawValue, ["sub"], required: 1)
            guard let sub = try string(b[0], "sub") else { throw EvalFailure.type("\(k.rawValue)() argument must be str") }
            let at = StringMethods.find(s, sub, reverse: k == .rfind)
            if k == .index, at == nil { throw EvalFailure.value("substring not found") }
            return .int(at ?? -1)
        case .count:
            let b = try args.bind("count", ["sub"], required: 1)
            guard let sub = try string(b[0], "sub") else { throw EvalFailure.type("count() argument must be str") }
            return .int(StringMethods.count(s, sub))
        case .zfill:
            let b = try args.bind("zfill", ["width"], required: 1)
            let width = try Filters.intArgument(b[0]!, "width")
            let length = PyStr.length(s)
            guard length < width else { return .string(s) }
            try StringMethods.checkWidth(width)
            var body = s
            var sign = ""
            if let f = body.unicodeScalars.first, f == "-" || f == "+" { sign = String(f); body.unicodeScalars.removeFirst() }
            return .string(sign + String(repeating: "0", count: width - length) + body)
        case .ljust, .rjust, .center:
            let b = try args.bind(k.rawValue, ["width", "fillchar"], required: 1)
            let width = try Filters.intArgument(b[0]!, "width")
            let fill = try string(b[1], "fillchar") ?? " "
            guard fill.unicodeScalars.count == 1, let f = fill.unicodeScalars.first else { throw EvalFailure.type("the fill character must be exactly one character long") }
            return .string(try StringMethods.pad(s, width, f, align: k == .ljust ? "<" : k == .rjust ? ">" : "^"))
        case .partition, .rpartition:
            let b = try args.bind(k.rawValue, ["sep"], required: 1)
            guard let sep = try string(b[0], "sep"), !sep.isEmpty else { throw EvalFailure.value("empty separator") }
            let hay = PyStr.scalars(s), needle = PyStr.scalars(sep)
            guard let at = PyStr.find(hay, needle, reverse: k == .rpartition) else {
                return k == .partition ? .tuple([.string(s), "", ""]) : .tuple(["", "", .string(s)])
            }
            return .tuple([.string(PyStr.string(hay[..<at])), .string(sep), .string(PyStr.string(hay[(at + needle.count)...]))])
        case .isdigit, .isalpha, .isalnum, .isspace:
            try args.noArguments(k.rawValue)
            guard !s.isEmpty else { return .bool(false) }
            return .bool(s.unicodeScalars.allSatisfy { c in
                switch k {
                case .isdigit: return c.properties.numericType != nil && c.properties.numericType != .numeric
                case .isalpha: return c.properties.isAlphabetic
                case .isalnum: return c.properties.isAlphabetic || c.properties.numericType != nil
                default: return StringMethods.isSpace(c)
                }
            })
        case .islower, .isupper:
            try args.noArguments(k.rawValue)
            return .bool(PyStr.hasOnlyCase(s, upper: k == .isupper))
        default:
            throw EvalFailure.undefined("'str' object has no attribute '\(k.rawValue)'")
        }
    }
}
