import PipecSchedule

/// Airflow's `macros` module: `ds_add`, `ds_format`, `datetime`, `timedelta`, `time`, `json`, `uuid`, `random`.
/// Not provided: `dateutil` (a Python module with no template-safe equivalent here), `ds_format_locale` (needs
/// Babel's locale data) and `datetime_diff_for_humans`.
enum AirflowMacros {
    static let namespace: TemplateValue = .object("module 'airflow.macros'", [
        ("ds_add", .function(NativeFunction(builtin: "ds_add") { args, _ throws(EvalFailure) in
            let b = try args.bind("ds_add", ["ds", "days"], required: 2)
            let ds = PythonText.str(b[0]!)
            // Airflow returns the input unchanged when days is 0, without parsing it.
            guard Ops.truthy(b[1]!) else { return .string(ds) }
            let days: Int64
            switch b[1]! {
            case .int(let n): days = try DateRange.micros(n, 86_400_000_000)
            case .bool(let v): days = v ? 86_400_000_000 : 0
            case .double(let d) where d.isFinite: days = try DateRange.micros(d, 86_400_000_000)
            default: throw EvalFailure.type("ds_add() days must be a number, not '\(PythonText.typeName(b[1]!))'")
            }
            if days % 86_400_000_000 == 0, let day = isoDay(ds) {
                var out = ""
                out.reserveCapacity(10)
                Digits.date(DateValue(epochDay: try DateRange.epochDay(day + days / 86_400_000_000), pendulum: false).civil, into: &out)
                return .string(out)
            }
            let date = try StrFTime.parse(ds, "%Y-%m-%d")
            return .string(StrFTime.format(try DateRange.checked(.datetime(date.adding(delta: days))), "%Y-%m-%d"))
        })),
        ("ds_format", .function(NativeFunction(builtin: "ds_format") { args, _ throws(EvalFailure) in
            let b = try args.bind("ds_format", ["ds", "input_format", "output_format"], required: 3)
            guard case .string(let input) = b[1]!, case .string(let output) = b[2]! else {
                throw EvalFailure.type("ds_format() formats must be str")
            }
            return .string(StrFTime.format(try StrFTime.parse(PythonText.str(b[0]!), input), output))
        })),
        ("datetime", datetimeClass),
        ("timedelta", .function(NativeFunction(builtin: "timedelta") { args, _ throws(EvalFailure) in
            .timedelta(TimeDelta(microseconds: try timedeltaMicros(args)))
        })),
        ("time", .object("module 'time'", [
            ("time", .function(NativeFunction(builtin: "time") { args, _ throws(EvalFailure) in
                try args.noArguments("time")
                let now = Instant.now()
                return .double(Double(now.seconds) + Double(now.microseconds) / 1_000_000)
            })),
            ("time_ns", .function(NativeFunction(builtin: "time_ns") { args, _ throws(EvalFailure) in
                try args.noArguments("time_ns")
                return .int(Int(Instant.now().totalMicroseconds) * 1000)
            })),
            ("strftime", .function(NativeFunction(builtin: "strftime") { args, _ throws(EvalFailure) in
                let b = try args.bind("strftime", ["format"], required: 1)
                guard case .string(let f) = b[0]! else { throw EvalFailure.type("strftime() format must be a str") }
                return .string(StrFTime.format(DateTimeValue(naive: CivilDateTime(Instant.now(), offsetSeconds: 0)), f))
            })),
        ])),
        ("json", .object("module 'json'", [
            ("dumps", .function(NativeFunction(builtin: "dumps") { args, _ throws(EvalFailure) in
                let b = try args.bind("dumps", ["obj", "skipkeys", "ensure_ascii", "check_circular", "allow_nan", "cls",
                                                "indent", "separators", "default", "sort_keys"], required: 1)
                var indent: Int?
                if let i = b[6], case .int(let n) = i { indent = n }
                var separators: (item: String, key: String)?
                if let s = b[7], case .tuple(let parts) = s, parts.count == 2, case .string(let a) = parts[0], case .string(let c) = parts[1] {
                    separators = (a, c)
                } else if let s = b[7], case .list(let parts) = s, parts.count == 2, case .string(let a) = parts[0], case .string(let c) = parts[1] {
                    separators = (a, c)
                }
                return .string(try JSONText.dumps(b[0]!, indent: indent, sortKeys: b[9].map(Ops.truthy) ?? false,
                                                  ensureASCII: b[2].map(Ops.truthy) ?? true, separators: separators))
            })),
            ("loads", .function(NativeFunction(builtin: "loads") { args, _ throws(EvalFailure) in
                let b = try args.bind("loads", ["s"], required: 1)
                guard case .string(let s) = b[0]! else { throw EvalFailure.type("loads() expects a str") }
                return try JSONText.loads(s)
            })),
        ])),
        ("uuid", .object("module 'uuid'", [
            ("uuid4", .function(NativeFunction(builtin: "uuid4") { args, _ throws(EvalFailure) in
                try args.noArguments("uuid4")
                return .string(uuid4())
            })),
        ])),
        ("random", .function(NativeFunction(builtin: "random") { args, _ throws(EvalFailure) in
            try args.noArguments("random")
            return .double(Double.random(in: 0..<1))
        })),
    ])

    /// The epoch day of a canonical `YYYY-MM-DD` string (the shape `ds` always has), or nil for anything else,
    /// which then goes through the general strptime.
    static func isoDay(_ s: String) -> Int64? {
        // `YYYY-MM-DD` exactly, read from its bytes (ds_add and ds_format call this on every render).
        var fields = (0, 0, 0)
        var position = 0
        for b in s.utf8 {
            if position == 4 || position == 7 {
                guard b == 0x2D else { return nil }
            } else {
                guard b >= 0x30, b <= 0x39, position < 10 else { return nil }
                let digit = Int(b - 0x30)
                switch position {
                case 0..<4: fields.0 = fields.0 * 10 + digit
                case 5, 6: fields.1 = fields.1 * 10 + digit
                default: fields.2 = fields.2 * 10 + digit
                }
            }
            position += 1
        }
        guard position == 10 else { return nil }
        let (year, month, day) = fields
        guard year >= 1, (1...12).contains(month), day >= 1, day <= CivilDateTime.daysInMonth(year, month) else { return nil }
        return CivilDateTime.days(fromCivil: year, month, day)
    }

    /// `datetime.timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks)`.
    static func timedeltaMicros(_ args: Args) throws(EvalFailure) -> Int64 {
        let names = ["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"]
        let units: [Double] = [86_400e6, 1e6, 1, 1e3, 60e6, 3600e6, 604_800e6]
        let b = try args.bind("timedelta", names)
        var total: Int64 = 0
        var fractional = 0.0
        for (i, v) in b.enumerated() {
            guard let v else { continue }
            switch v {
            case .int(let n):
                total = try DateRange.sum(total, DateRange.micros(n, Int64(units[i])))
            case .bool(let flag): total = try DateRange.sum(total, flag ? Int64(units[i]) : 0)
            case .double(let d) where d.isFinite: fractional += d * units[i]
            default: throw EvalFailure.type("unsupported type for timedelta \(names[i]) component: \(PythonText.typeName(v))")
            }
        }
        return try DateRange.sum(total, DateRange.micros(fractional, 1))
    }

    private static func int(_ v: TemplateValue?, _ name: String, _ range: ClosedRange<Int>) throws(EvalFailure) -> Int {
        guard let v else { return range.lowerBound == 1 ? 1 : 0 }
        guard case .int(let i) = v else { throw EvalFailure.type("'\(name)' must be an int, not '\(PythonText.typeName(v))'") }
        guard range.contains(i) else { throw EvalFailure.value("\(name) must be in \(range.lowerBound)..\(range.upperBound)") }
        return i
    }

    /// Python's `datetime.datetime` class: callable, with `now`, `utcnow`, `today`, `strptime`, `fromisoformat`,
    /// `fromtimestamp`. It builds stdlib datetimes (naive unless given `tzinfo`), not pendulum ones.
    static let datetimeClass: TemplateValue = .object("class 'datetime.datetime'", [
        ("now", .function(NativeFunction(builtin: "now") { args, _ throws(EvalFailure) in
            let b = try args.bind("now", ["tz"])
            if let z = try DateTimeMethods.zone(b[0]) { return .datetime(DateTimeValue(instant: Instant.now(), zone: z, pendulum: false)) }
            return .datetime(DateTimeValue(naive: CivilDateTime(Instant.now(), offsetSeconds: 0)))
        })),
        ("utcnow", .function(NativeFunction(builtin: "utcnow") { args, _ throws(EvalFailure) in
            try args.noArguments("utcnow")
            return .datetime(DateTimeValue(naive: CivilDateTime(Instant.now(), offsetSeconds: 0)))
        })),
        ("today", .function(NativeFunction(builtin: "today") { args, _ throws(EvalFailure) in
            try args.noArguments("today")
            return .datetime(DateTimeValue(naive: CivilDateTime(Instant.now(), offsetSeconds: 0)))
        })),
        ("strptime", .function(NativeFunction(builtin: "strptime") { args, _ throws(EvalFailure) in
            let b = try args.bind("strptime", ["date_string", "format"], required: 2)
            guard case .string(let s) = b[0]!, case .string(let f) = b[1]! else { throw EvalFailure.type("strptime() arguments must be str") }
            return .datetime(try StrFTime.parse(s, f))
        })),
        ("fromisoformat", .function(NativeFunction(builtin: "fromisoformat") { args, _ throws(EvalFailure) in
            let b = try args.bind("fromisoformat", ["date_string"], required: 1)
            guard case .string(let s) = b[0]! else { throw EvalFailure.type("fromisoformat() argument must be str") }
            return .datetime(try fromISO(s))
        })),
        ("fromtimestamp", .function(NativeFunction(builtin: "fromtimestamp") { args, _ throws(EvalFailure) in
            let b = try args.bind("fromtimestamp", ["timestamp", "tz"], required: 1)
            let us: Int64
            switch b[0]! {
            case .int(let i): us = try DateRange.micros(i, 1_000_000)
            case .double(let d) where d.isFinite: us = try DateRange.micros(d, 1e6)
            default: throw EvalFailure.type("fromtimestamp() expects a number")
            }
            let instant = Instant(totalMicroseconds: us)
            _ = try DateRange.checked(.datetime(DateTimeValue(instant: instant)))
            if let z = try DateTimeMethods.zone(b[1]) { return .datetime(DateTimeValue(instant: instant, zone: z, pendulum: false)) }
            return .datetime(DateTimeValue(naive: CivilDateTime(instant, offsetSeconds: 0)))
        })),
    ], call: NativeFunction(builtin: "datetime") { args, _ throws(EvalFailure) in
        let b = try args.bind("datetime", ["year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo"], required: 3)
        let c = CivilDateTime(year: try int(b[0], "year", 1...9999), month: try int(b[1], "month", 1...12), day: try int(b[2], "day", 1...31),
                              hour: try int(b[3], "hour", 0...23), minute: try int(b[4], "minute", 0...59),
                              second: try int(b[5], "second", 0...59), microsecond: try int(b[6], "microsecond", 0...999_999))
        _ = try DateTimeMethods.validated(c)
        return .datetime(DateTimeValue(civil: c, zone: try DateTimeMethods.zone(b[7]), pendulum: false))
    })

    /// `datetime.fromisoformat`: `YYYY-MM-DD[(T| )HH:MM[:SS[.ffffff]]][Z|±HH:MM]`.
    static func fromISO(_ s: String) throws(EvalFailure) -> DateTimeValue {
        let formats = ["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f",
                       "%Y-%m-%dT%H:%M%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z"]
        let normalized = s.count > 10 && Array(s)[10] == " " ? String(s.prefix(10)) + "T" + String(s.dropFirst(11)) : s
        for f in formats {
            if let dt = try? StrFTime.parse(normalized, f) { return dt }
        }
        throw EvalFailure.value("invalid isoformat string")
    }

    private static func uuid4() -> String {
        var g = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { PythonText.hex(UInt32($0), 2) }.joined()
        let h = Array(hex)
        return [h[0..<8], h[8..<12], h[12..<16], h[16..<20], h[20..<32]].map { String($0) }.joined(separator: "-")
    }
}
