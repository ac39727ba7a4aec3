import PipecSchedule

/// Python's `str()` and `repr()` of template values: `{{ x }}` renders `str(x)`, containers print their items'
/// `repr()`. Matching these byte for byte is what makes SQL pasted from Airflow render identically.
enum PythonText {
    static func str(_ value: TemplateValue, into out: inout String) {
        switch value {
        case .string(let s): out.append(s)
        case .int(let i): out.append(String(i))
        case .none: out.append("None")
        case .bool(let b): out.append(b ? "True" : "False")
        case .double(let d): out.append(PyNumber.repr(d))
        case .datetime(let dt): dt.isoformat(separator: " ", into: &out)
        case .date(let d): Digits.date(d.civil, into: &out)
        case .timedelta(let t): timedelta(t, into: &out)
        case .list, .tuple, .dict, .function, .namespace, .macro: repr(value, into: &out)
        }
    }

    static func str(_ value: TemplateValue) -> String {
        if case .string(let s) = value { return s }
        var out = ""
        str(value, into: &out)
        return out
    }

    static func repr(_ value: TemplateValue, into out: inout String) {
        switch value {
        case .string(let s): quote(s, into: &out)
        case .int, .none, .bool, .double: str(value, into: &out)
        case .list(let items):
            out.append("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(", ") }
                repr(item, into: &out)
            }
            out.append("]")
        case .tuple(let items):
            out.append("(")
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(", ") }
                repr(item, into: &out)
            }
            if items.count == 1 { out.append(",") }
            out.append(")")
        case .dict(let d):
            out.append("{")
            for i in 0..<d.count {
                if i > 0 { out.append(", ") }
                repr(d.keys[i], into: &out)
                out.append(": ")
                repr(d.values[i], into: &out)
            }
            out.append("}")
        case .datetime(let dt): datetimeRepr(dt, into: &out)
        case .date(let d):
            let c = d.civil
            out.append(d.isPendulum ? "Date(" : "datetime.date(")
            out.append("\(c.year), \(c.month), \(c.day))")
        case .timedelta(let t): timedeltaRepr(t, into: &out)
        case .function(let f): out.append("<function \(f.name)>")
        case .namespace(let ns):
            if ns.isMutable {
                out.append("<Namespace {")
                for (i, name) in ns.attributeNames.enumerated() {
                    if i > 0 { out.append(", ") }
                    quote(name, into: &out)
                    out.append(": ")
                    repr(ns[name] ?? .none, into: &out)
                }
                out.append("}>")
            } else {
                out.append("<\(ns.name)>")
            }
        case .macro(let m): out.append("<Macro '\(m.name)'>")
        }
    }

    static func repr(_ value: TemplateValue) -> String {
        var out = ""
        repr(value, into: &out)
        return out
    }

    /// Python's string repr: single quotes unless the text has a single quote and no double quote.
    static func quote(_ s: String, into out: inout String) {
        let q: Unicode.Scalar = s.utf8.contains(0x27) && !s.utf8.contains(0x22) ? "\"" : "'"
        out.unicodeScalars.append(q)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case q: out.append("\\"); out.unicodeScalars.append(q)
            default:
                let v = c.value
                if v < 0x20 || (v >= 0x7F && v <= 0xA0) || v == 0xAD {
                    out.append("\\x"); out.append(hex(v, 2))
                } else if v == 0x2028 || v == 0x2029 || v == 0xFEFF || (v >= 0x200B && v <= 0x200F) {
                    out.append("\\u"); out.append(hex(v, 4))
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        out.unicodeScalars.append(q)
    }

    static func hex(_ v: UInt32, _ width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    private static func datetimeRepr(_ dt: DateTimeValue, into out: inout String) {
        let c = dt.civil
        if dt.isPendulum {
            out.append("DateTime(\(c.year), \(c.month), \(c.day), \(c.hour), \(c.minute), \(c.second)")
            if c.microsecond != 0 { out.append(", \(c.microsecond)") }
            switch dt.zone {
            case .utc?: out.append(", tzinfo=Timezone('UTC')")
            case .named(let z)?: out.append(", tzinfo=Timezone('\(z.identifier)')")
            case .fixed(let s)?: out.append(", tzinfo=FixedTimezone(\(s), name=\"\(CivilDateTime.offsetString(s, colon: true))\")")
            case nil: break
            }
            out.append(")")
            return
        }
        out.append("datetime.datetime(\(c.year), \(c.month), \(c.day), \(c.hour), \(c.minute)")
        if c.second != 0 || c.microsecond != 0 { out.append(", \(c.second)") }
        if c.microsecond != 0 { out.append(", \(c.microsecond)") }
        switch dt.zone {
        case .utc?: out.append(", tzinfo=datetime.timezone.utc")
        case .named(let z)?: out.append(", tzinfo=zoneinfo.ZoneInfo(key='\(z.identifier)')")
        case .fixed(let s)?: out.append(", tzinfo=datetime.timezone(datetime.timedelta(seconds=\(s))))")
        case nil: break
        }
        out.append(")")
    }

    /// `str()` of a stdlib timedelta (`1 day, 0:00:00`), a pendulum Duration (`1 day`) or Interval.
    static func timedelta(_ t: TimeDelta, into out: inout String) {
        switch t.flavor {
        case .timedelta:
            let (days, seconds, micros) = t.pythonFields
            if days != 0 { out.append("\(days) day\(abs(days) != 1 ? "s" : ""), ") }
            out.append("\(seconds / 3600):")
            Digits.pad(Int(seconds % 3600 / 60), 2, into: &out)
            out.append(":")
            Digits.pad(Int(seconds % 60), 2, into: &out)
            if micros != 0 {
                out.append(".")
                Digits.pad(Int(micros), 6, into: &out)
            }
        case .duration: out.append(durationWords(t.microseconds))
        case .interval(let ends):
            out.append("<Interval [")
            str(ends.start, into: &out)
            out.append(" -> ")
            str(ends.end, into: &out)
            out.append("]>")
        }
    }

    /// pendulum's `Duration.in_words()`: weeks, days, hours, minutes, seconds that are non-zero.
    static func durationWords(_ microseconds: Int64) -> String {
        let sign: Int64 = microseconds < 0 ? -1 : 1
        let total = abs(microseconds)
        let seconds = total / 1_000_000
        let parts: [(String, Int64)] = [
            ("week", seconds / 604_800), ("day", seconds % 604_800 / 86_400), ("hour", seconds % 86_400 / 3600),
            ("minute", seconds % 3600 / 60), ("second", seconds % 60),
        ]
        let words = parts.filter { $0.1 != 0 }.map { "\($0.1 * sign) \($0.0)\($0.1 == 1 ? "" : "s")" }
        if !words.isEmpty { return words.joined(separator: " ") }
        if total % 1_000_000 != 0 {
            let hundredths = (total % 1_000_000 + 5_000) / 10_000
            return "\(sign < 0 ? "-" : "")0.\(Digits.padded(Int(hundredths), 2)) seconds"
        }
        return "0 microseconds"
    }

    private static func timedeltaRepr(_ t: TimeDelta, into out: inout String) {
        switch t.flavor {
        case .timedelta:
            let (days, seconds, micros) = t.pythonFields
            var fields: [String] = []
            if days != 0 { fields.append("days=\(days)") }
            if seconds != 0 { fields.append("seconds=\(seconds)") }
            if micros != 0 { fields.append("microseconds=\(micros)") }
            out.append("datetime.timedelta(\(fields.isEmpty ? "0" : fields.joined(separator: ", ")))")
        case .duration:
            let (days, seconds, micros) = t.pythonFields
            var fields: [String] = []
            if days / 7 != 0 { fields.append("weeks=\(days / 7)") }
            if days % 7 != 0 { fields.append("days=\(days % 7)") }
            if seconds / 3600 != 0 { fields.append("hours=\(seconds / 3600)") }
            if seconds % 3600 / 60 != 0 { fields.append("minutes=\(seconds % 3600 / 60)") }
            if seconds % 60 != 0 || micros != 0 {
                fields.append(micros != 0 ? "seconds=\(Double(seconds % 60) + Double(micros) / 1e6)" : "seconds=\(seconds % 60)")
            }
            out.append("Duration(\(fields.joined(separator: ", ")))")
        case .interval: timedelta(t, into: &out)
        }
    }

    /// The Python type name used in messages (`'int'`, `'str'`, `'DateTime'`).
    static func typeName(_ value: TemplateValue) -> String {
        switch value {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .datetime(let d): return d.isPendulum ? "DateTime" : "datetime"
        case .date(let d): return d.isPendulum ? "Date" : "date"
        case .timedelta(let t):
            switch t.flavor {
            case .timedelta: return "timedelta"
            case .duration: return "Duration"
            case .interval: return "Interval"
            }
        case .function: return "function"
        case .namespace(let ns): return ns.isMutable ? "Namespace" : ns.name
        case .macro: return "Macro"
        }
    }
}
