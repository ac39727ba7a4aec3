import PipecSchedule

/// Python's `strftime` (as CPython on glibc: Python handles `%f %z %Z`, glibc the rest, including the `-`, `_`,
/// `0` and `^` flags Airflow users write as `%-d`) and `strptime` (CPython's regex rules, reproduced by a small
/// backtracking matcher: numeric fields try their longest alternative first).
enum StrFTime {
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]

    /// The pieces a pattern needs from a datetime, a date (midnight, naive) or a pendulum value.
    struct Moment {
        var civil: CivilDateTime
        var offset: Int?
        var zone: TimeZoneRef?
        var instant: Instant
    }

    static func moment(_ value: TemplateValue) -> Moment? {
        switch value {
        case .datetime(let dt): return Moment(civil: dt.civil, offset: dt.zone == nil ? nil : dt.offset, zone: dt.zone, instant: dt.instant)
        case .date(let d): return Moment(civil: d.civil, offset: nil, zone: nil, instant: d.civil.instant(offsetSeconds: 0))
        default: return nil
        }
    }

    static func format(_ value: TemplateValue, _ pattern: String) -> String {
        guard let m = moment(value) else { return "" }
        var out = ""
        format(m, pattern, into: &out)
        return out
    }

    static func format(_ dt: DateTimeValue, _ pattern: String) -> String {
        var out = ""
        format(Moment(civil: dt.civil, offset: dt.zone == nil ? nil : dt.offset, zone: dt.zone, instant: dt.instant), pattern, into: &out)
        return out
    }

    static func format(_ m: Moment, _ pattern: String, into out: inout String) {
        let c = m.civil
        var it = pattern.unicodeScalars.makeIterator()
        while let ch = it.next() {
            guard ch == "%" else { out.unicodeScalars.append(ch); continue }
            guard var d = it.next() else { out.append("%"); break }
            var flag: Unicode.Scalar?
            if d == "-" || d == "_" || d == "0" || d == "^" || d == "#" {
                flag = d
                guard let next = it.next() else { out.append("%"); out.unicodeScalars.append(d); break }
                d = next
            }
            func num(_ n: Int, _ width: Int, space: Bool = false) {
                switch flag {
                case "-": out.append(String(n))
                case "_": let s = String(n); out.append(String(repeating: " ", count: max(0, width - s.count)) + s)
                case "0": Digits.pad(n, width, into: &out)
                default:
                    if space { let s = String(n); out.append(String(repeating: " ", count: max(0, width - s.count)) + s) } else { Digits.pad(n, width, into: &out) }
                }
            }
            func text(_ s: String) {
                out.append(flag == "^" ? s.uppercased() : flag == "#" ? swapCase(s) : s)
            }
            let weekday = c.isoWeekday - 1   // Monday = 0
            switch d {
            case "Y": num(c.year, 4)
            case "m": num(c.month, 2)
            case "d": num(c.day, 2)
            case "H": num(c.hour, 2)
            case "M": num(c.minute, 2)
            case "S": num(c.second, 2)
            case "f": Digits.pad(c.microsecond, 6, into: &out)
            case "y": num(c.year % 100, 2)
            case "C": num(c.year / 100, 2)
            case "e": num(c.day, 2, space: true)
            case "j": num(c.dayOfYear, 3)
            case "I": num(c.hour % 12 == 0 ? 12 : c.hour % 12, 2)
            case "k": num(c.hour, 2, space: true)
            case "l": num(c.hour % 12 == 0 ? 12 : c.hour % 12, 2, space: true)
            case "p": text(c.hour < 12 ? "AM" : "PM")
            case "P": text(c.hour < 12 ? "am" : "pm")
            case "a": text(String(weekdays[weekday].prefix(3)))
            case "A": text(weekdays[weekday])
            case "b", "h": text(String(months[c.month - 1].prefix(3)))
            case "B": text(months[c.month - 1])
            case "w": num((weekday + 1) % 7, 1)
            case "u": num(weekday + 1, 1)
            case "U": num((c.dayOfYear - 1 + 7 - (weekday + 1) % 7) / 7, 2)
            case "W": num((c.dayOfYear - 1 + 7 - weekday) / 7, 2)
            case "V": num(isoWeek(c).week, 2)
            case "G": num(isoWeek(c).year, 4)
            case "g": num(isoWeek(c).year % 100, 2)
            case "z": if let o = m.offset { Digits.offset(o, colon: false, into: &out) }
            case "Z": if let z = m.zone { text(z.abbreviation(at: m.instant)) }
            case "s": out.append(String(m.instant.seconds))
            case "c": format(m, "%a %b %e %H:%M:%S %Y", into: &out)
            case "x", "D": format(m, "%m/%d/%y", into: &out)
            case "X", "T": format(m, "%H:%M:%S", into: &out)
            case "F": format(m, "%Y-%m-%d", into: &out)
            case "R": format(m, "%H:%M", into: &out)
            case "r": format(m, "%I:%M:%S %p", into: &out)
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "%": out.append("%")
            default:
                out.append("%")
                if let flag { out.unicodeScalars.append(flag) }
                out.unicodeScalars.append(d)
            }
        }
    }

    private static func swapCase(_ s: String) -> String {
        String(s.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })
    }

    /// ISO 8601 week-numbering year and week.
    static func isoWeek(_ c: CivilDateTime) -> (year: Int, week: Int) {
        let weekday = c.isoWeekday
        let thursday = c.epochDay - Int64(weekday) + 4
        let (y, _, _) = CivilDateTime.civil(fromDays: thursday)
        let firstDay = CivilDateTime.days(fromCivil: y, 1, 1)
        return (y, Int((thursday - firstDay) / 7) + 1)
    }

    // MARK: strptime

    private enum Item {
        case literal(Unicode.Scalar)
        case space
        case directive(Unicode.Scalar)
    }

    private static func compile(_ format: String) throws(EvalFailure) -> [Item] {
        var items: [Item] = []
        var it = format.unicodeScalars.makeIterator()
        var pendingSpace = false
        while let ch = it.next() {
            if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" || ch == "\u{0B}" || ch == "\u{0C}" {
                if !pendingSpace { items.append(.space) }
                pendingSpace = true
                continue
            }
            pendingSpace = false
            guard ch == "%" else { items.append(.literal(ch)); continue }
            guard let d = it.next() else { throw EvalFailure.value("strptime format ends with a stray '%'") }
            switch d {
            case "c": items.append(contentsOf: try compile("%a %b %d %H:%M:%S %Y"))
            case "x": items.append(contentsOf: try compile("%m/%d/%y"))
            case "X": items.append(contentsOf: try compile("%H:%M:%S"))
            case "%": items.append(.literal("%"))
            case "Y", "m", "d", "H", "M", "S", "f", "y", "j", "I", "p", "a", "A", "b", "B", "h", "z", "Z", "w", "u", "U", "W", "G", "V":
                items.append(.directive(d))
            default:
                throw EvalFailure.value("the strptime format uses an unsupported directive",
                                        help: "supported: %Y %m %d %H %M %S %f %y %j %I %p %a %A %b %B %z %Z %w %u %U %W %G %V %c %x %X %%")
            }
        }
        return items
    }

    private static func isSpaceByte(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    private static func digits(_ s: [UInt8], _ at: Int, _ n: Int) -> Int? {
        guard at + n <= s.count else { return nil }
        var v = 0
        for k in at..<(at + n) {
            guard s[k] >= 0x30, s[k] <= 0x39 else { return nil }
            v = v * 10 + Int(s[k] - 0x30)
        }
        return v
    }

    /// Candidate match lengths for one directive at `at`, in the order CPython's regex alternation tries them.
    private static func candidates(_ d: Unicode.Scalar, _ s: [UInt8], _ at: Int) -> [(Int, Int)] {
        func two(_ range: ClosedRange<Int>, one: ClosedRange<Int>?) -> [(Int, Int)] {
            var r: [(Int, Int)] = []
            if let v = digits(s, at, 2), range.contains(v) { r.append((2, v)) }
            if let one, let v = digits(s, at, 1), one.contains(v) { r.append((1, v)) }
            return r
        }
        switch d {
        case "Y", "G": return digits(s, at, 4).map { [(4, $0)] } ?? []
        case "y": return digits(s, at, 2).map { [(2, $0)] } ?? []
        case "m": return two(1...12, one: 1...9)
        case "d":
            var r = two(1...31, one: 1...9)
            if at + 1 < s.count, s[at] == 0x20, let v = digits(s, at + 1, 1), v >= 1 { r.append((2, v)) }
            return r
        case "H": return two(0...23, one: 0...9)
        case "I": return two(1...12, one: 1...9)
        case "M": return two(0...59, one: 0...9)
        case "S": return two(0...61, one: 0...9)
        case "U", "W": return two(0...53, one: 0...9)
        case "V": return two(1...53, one: 0...9)
        case "w": return digits(s, at, 1).flatMap { (0...6).contains($0) ? [(1, $0)] : nil } ?? []
        case "u": return digits(s, at, 1).flatMap { (1...7).contains($0) ? [(1, $0)] : nil } ?? []
        case "j":
            var r: [(Int, Int)] = []
            if let v = digits(s, at, 3), (1...366).contains(v) { r.append((3, v)) }
            if let v = digits(s, at, 2), (1...99).contains(v) { r.append((2, v)) }
            if let v = digits(s, at, 1), v >= 1 { r.append((1, v)) }
            return r
        case "f":
            return (1...6).reversed().compactMap { n in digits(s, at, n).map { (n, $0 * pow10(6 - n)) } }
        case "a", "A": return names(weekdays, d == "a", s, at)
        case "b", "B", "h": return names(months, d != "B", s, at).map { ($0.0, $0.1 + 1) }
        case "p":
            var r: [(Int, Int)] = []
            if let word = word(s, at, 2) {
                if word == "am" { r.append((2, 0)) } else if word == "pm" { r.append((2, 12)) }
            }
            return r
        case "Z":
            for (name, _) in [("utc", 0), ("gmt", 0)] where word(s, at, 3) == name { return [(3, 0)] }
            return []
        case "z": return offsetCandidates(s, at)
        default: return []
        }
    }

    private static func pow10(_ n: Int) -> Int {
        var v = 1
        for _ in 0..<n { v *= 10 }
        return v
    }

    private static func word(_ s: [UInt8], _ at: Int, _ n: Int) -> String? {
        guard at + n <= s.count else { return nil }
        return String(decoding: s[at..<(at + n)], as: UTF8.self).lowercased()
    }

    /// Full or abbreviated names, longest first as CPython sorts its alternation.
    private static func names(_ list: [String], _ abbreviated: Bool, _ s: [UInt8], _ at: Int) -> [(Int, Int)] {
        let options = list.enumerated().map { (abbreviated ? String($0.element.prefix(3)) : $0.element, $0.offset) }
            .sorted { $0.0.count > $1.0.count }
        return options.compactMap { name, index in
            word(s, at, name.utf8.count) == name.lowercased() ? (name.utf8.count, index) : nil
        }
    }

    /// `Z`, `+HHMM`, `+HH:MM`, optionally with seconds; the value is the offset in seconds.
    private static func offsetCandidates(_ s: [UInt8], _ at: Int) -> [(Int, Int)] {
        guard at < s.count else { return [] }
        if s[at] == 0x5A { return [(1, 0)] }
        guard s[at] == 0x2B || s[at] == 0x2D else { return [] }
        let sign = s[at] == 0x2D ? -1 : 1
        var p = at + 1
        guard let h = digits(s, p, 2) else { return [] }
        p += 2
        let colon = p < s.count && s[p] == 0x3A
        if colon { p += 1 }
        guard let m = digits(s, p, 2), m < 60 else { return [] }
        p += 2
        var seconds = h * 3600 + m * 60
        if p < s.count, (colon ? s[p] == 0x3A : true), let sec = digits(s, colon ? p + 1 : p, 2), sec < 60 {
            seconds += sec
            p += colon ? 3 : 2
        }
        return [(p - at, sign * seconds)]
    }

    /// `datetime.strptime(s, format)`: naive unless `%z` matched.
    static func parse(_ string: String, _ format: String) throws(EvalFailure) -> DateTimeValue {
        let items = try compile(format)
        let s = Array(string.utf8)
        var fields: [Unicode.Scalar: Int] = [:]
        // Whether item k matches at offset `at` does not depend on earlier choices: remembering failures keeps the
        // backtracking linear in the format length.
        var failed = Set<Int>()
        func match(_ k: Int, _ at: Int) -> Bool {
            if k == items.count { return at == s.count }
            if failed.contains(k * (s.count + 1) + at) { return false }
            let matched = attempt(k, at)
            if !matched { failed.insert(k * (s.count + 1) + at) }
            return matched
        }
        func attempt(_ k: Int, _ at: Int) -> Bool {
            switch items[k] {
            case .literal(let ch):
                let bytes = Array(String(Character(ch)).utf8)
                guard at + bytes.count <= s.count else { return false }
                let a = String(decoding: s[at..<(at + bytes.count)], as: UTF8.self).lowercased()
                guard a == String(Character(ch)).lowercased() else { return false }
                return match(k + 1, at + bytes.count)
            case .space:
                var end = at
                while end < s.count, isSpaceByte(s[end]) { end += 1 }
                guard end > at else { return false }
                // \s+ is greedy but may give back characters; trying the longest run is enough here since the
                // next item never starts with whitespace.
                return match(k + 1, end)
            case .directive(let d):
                for (length, value) in candidates(d, s, at) {
                    let saved = fields[d]
                    fields[d] = value
                    if match(k + 1, at + length) { return true }
                    fields[d] = saved
                }
                return false
            }
        }
        guard match(0, 0) else {
            throw EvalFailure.value("the date string does not match the strptime format",
                                    help: "the value is not shown because it may be sensitive")
        }
        var year = fields["Y"] ?? fields["y"].map { $0 <= 68 ? 2000 + $0 : 1900 + $0 } ?? 1900
        if fields["Y"] == nil, fields["y"] == nil, let g = fields["G"] { year = g }
        var month = fields["m"] ?? fields["b"] ?? fields["B"] ?? fields["h"] ?? 1
        var day = fields["d"] ?? 1
        var hour = fields["H"] ?? 0
        if let h12 = fields["I"] {
            hour = h12 % 12 + (fields["p"] ?? 0)
        }
        if let j = fields["j"], fields["m"] == nil, fields["d"] == nil {
            let (y, m, d) = CivilDateTime.civil(fromDays: CivilDateTime.days(fromCivil: year, 1, 1) + Int64(j - 1))
            (year, month, day) = (y, m, d)
        }
        guard day <= CivilDateTime.daysInMonth(year, month) else { throw EvalFailure.value("day is out of range for month") }
        let second = min(fields["S"] ?? 0, 59)
        let civil = CivilDateTime(year: year, month: month, day: day, hour: hour, minute: fields["M"] ?? 0,
                                  second: second, microsecond: fields["f"] ?? 0)
        if let offset = fields["z"] {
            return DateTimeValue(civil: civil, zone: offset == 0 ? .utc : .fixed(offset), pendulum: false)
        }
        return DateTimeValue(naive: civil)
    }
}
