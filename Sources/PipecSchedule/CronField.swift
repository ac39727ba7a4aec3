/// The five fields of a cron expression, in order.
enum CronFieldKind: Int, CaseIterable, Sendable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// Values a field may hold. Day-of-week also accepts 7 for Sunday, stored as 0.
    var range: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...6
        }
    }

    var written: ClosedRange<Int> { self == .dayOfWeek ? 0...7 : range }

    /// Three-letter names, case-insensitive (JAN-DEC, SUN-SAT).
    var names: [String] {
        switch self {
        case .month: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        case .dayOfWeek: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        default: []
        }
    }

    /// Bit set with every value of the field.
    var fullMask: UInt64 { CronBits.mask(range.lowerBound, range.upperBound) }
}

/// Bit-set helpers: bit `v` set means value `v` matches.
enum CronBits {
    /// Bits lo...hi (0 <= lo <= hi <= 63).
    @inline(__always)
    static func mask(_ lo: Int, _ hi: Int) -> UInt64 {
        let upper: UInt64 = hi >= 63 ? ~0 : (UInt64(1) << UInt64(hi + 1)) &- 1
        return upper & ~((UInt64(1) << UInt64(lo)) &- 1)
    }

    /// The smallest set bit >= `from`, if any.
    @inline(__always)
    static func next(_ bits: UInt64, from: Int) -> Int? {
        if from > 63 { return nil }
        let m = bits & ~((UInt64(1) << UInt64(from)) &- 1)
        return m == 0 ? nil : m.trailingZeroBitCount
    }

    /// The largest set bit <= `through`, if any.
    @inline(__always)
    static func previous(_ bits: UInt64, through: Int) -> Int? {
        if through < 0 { return nil }
        let m = through >= 63 ? bits : bits & ((UInt64(1) << UInt64(through + 1)) &- 1)
        return m == 0 ? nil : 63 - m.leadingZeroBitCount
    }
}

/// One parsed field: its value set, plus what croniter's day-of-month/day-of-week rule needs to know about how it
/// was written.
struct CronFieldValue: Sendable, Hashable {
    var bits: UInt64
    /// The field contains a bare `*` item (croniter expands it to `*` whatever else is listed).
    var hasBareStar: Bool
    /// The field's text contains `*` anywhere (`*`, `*/2`): croniter's test for whether the *other* day field may
    /// be treated as unrestricted.
    var mentionsStar: Bool
}

/// Parses one cron field (`*`, `5`, `1-5`, `*/15`, `1-10/2`, `5/15`, `MON-FRI`, lists of these).
struct CronFieldParser {
    let kind: CronFieldKind
    let scalars: [Unicode.Scalar]
    /// Column of `scalars[0]` within the whole expression.
    let base: Int
    let expression: String

    func error(_ why: String, _ at: Int, _ length: Int) -> TimeParseError {
        TimeParseError(message: "invalid cron expression '\(expression)': \(kind.name) field: \(why)",
                       column: base + at, length: length)
    }

    func parse() -> Result<CronFieldValue, TimeParseError> {
        var bits: UInt64 = 0
        var bareStar = false
        var itemStart = 0
        // Split on commas, remembering where each item starts for error columns.
        for end in 0...scalars.count where end == scalars.count || scalars[end] == "," {
            if end == itemStart {
                return .failure(error("empty list item", min(itemStart, max(0, scalars.count - 1)), 1))
            }
            switch item(itemStart, end) {
            case .failure(let e): return .failure(e)
            case .success(let (itemBits, star)):
                bits |= itemBits
                bareStar = bareStar || star
            }
            itemStart = end + 1
        }
        return .success(CronFieldValue(bits: bits, hasBareStar: bareStar, mentionsStar: scalars.contains("*")))
    }

    /// One list item in `scalars[from..<to]`: its value bits and whether it is a bare `*`.
    func item(_ from: Int, _ to: Int) -> Result<(UInt64, Bool), TimeParseError> {
        let slash = scalars[from..<to].firstIndex(of: "/")
        let rangeEnd = slash ?? to
        var step = 1
        if let slash {
            let stepText = String(String.UnicodeScalarView(scalars[(slash + 1)..<to]))
            guard stepText.unicodeScalars.allSatisfy({ asciiDigit($0) != nil }), let value = Int(stepText) else {
                return .failure(error("step '\(stepText)' must be a whole number", slash + 1, max(1, to - slash - 1)))
            }
            if value < 1 { return .failure(error("step must be at least 1", slash + 1, to - slash - 1)) }
            step = value
        }
        if rangeEnd == from { return .failure(error("missing value before '/'", from, 1)) }
        let range = kind.range
        // `*` and `*/n`.
        if rangeEnd - from == 1 && scalars[from] == "*" {
            return .success((stride(range.lowerBound, range.upperBound, step), slash == nil))
        }
        let dash = scalars[from..<rangeEnd].firstIndex(of: "-")
        let low: Int
        switch value(from, dash ?? rangeEnd) { case .failure(let e): return .failure(e); case .success(let v): low = v }
        guard let dash else {
            // `5` or `5/15` (= 5 up to the field's maximum, every 15).
            return .success((slash == nil ? UInt64(1) << UInt64(low) : stride(low, range.upperBound, step), false))
        }
        // Day-of-week 7 is Sunday; as a range's upper end it stays 7 so that `0-7` and `MON-7` read naturally.
        let high: Int
        switch value(dash + 1, rangeEnd, sundayAsSeven: true) {
        case .failure(let e): return .failure(e)
        case .success(let v): high = v
        }
        let rangeText = String(String.UnicodeScalarView(scalars[from..<rangeEnd]))
        if low == high {
            // croniter reads an equal range as the whole cycle; say what was probably meant instead of guessing.
            return .failure(error("range '\(rangeText)' has equal ends; write the single value", from, rangeEnd - from))
        }
        if low > high {
            // A wrapping range (FRI-MON, NOV-FEB), as croniter expands it; with a step croniter's reading is
            // surprising, so ask for a list instead.
            if slash != nil {
                return .failure(error("a range that wraps around ('\(rangeText)') cannot have a step; list the values",
                                      from, to - from))
            }
            return .success((CronBits.mask(low, range.upperBound) | CronBits.mask(range.lowerBound, high), false))
        }
        return .success((foldSunday(stride(low, high, step)), false))
    }

    /// Day-of-week bit 7 (Sunday written as 7) moved to bit 0.
    func foldSunday(_ bits: UInt64) -> UInt64 {
        kind == .dayOfWeek && bits & (1 << 7) != 0 ? (bits & ~(1 << 7)) | 1 : bits
    }

    /// A number or (month, day-of-week) name in `scalars[from..<to]`, range-checked; Sunday written as 7 becomes
    /// 0 unless `sundayAsSeven`.
    func value(_ from: Int, _ to: Int, sundayAsSeven: Bool = false) -> Result<Int, TimeParseError> {
        let text = String(String.UnicodeScalarView(scalars[from..<to]))
        if text.isEmpty {
            return .failure(error("missing value", min(from, max(0, scalars.count - 1)), 1))
        }
        if text.unicodeScalars.allSatisfy({ asciiDigit($0) != nil }) {
            guard let number = Int(text), kind.written.contains(number) else {
                return .failure(error("value \(text) is out of range \(kind.written.lowerBound)-\(kind.written.upperBound)",
                                      from, to - from))
            }
            return .success(kind == .dayOfWeek && number == 7 && !sundayAsSeven ? 0 : number)
        }
        if let index = kind.names.firstIndex(of: text.lowercased()) {
            return .success(kind == .month ? index + 1 : index)
        }
        if text.unicodeScalars.allSatisfy(isASCIILetter) {
            if kind.names.isEmpty {
                return .failure(error("'\(text)' is not a number; names are only allowed in the month and day-of-week fields",
                                      from, to - from))
            }
            let list = kind == .month ? "JAN-DEC" : "SUN-SAT"
            return .failure(error("unknown name '\(text)'; expected \(list)", from, to - from))
        }
        if let bad = text.unicodeScalars.firstIndex(where: { asciiDigit($0) == nil && !isASCIILetter($0) }) {
            let offset = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: bad)
            return .failure(error("unexpected '\(text.unicodeScalars[bad])'; pipec accepts numbers, names, *, lists (a,b), ranges (a-b) and steps (/n)",
                                  from + offset, 1))
        }
        return .failure(error("'\(text)' is not a value", from, to - from))
    }

    /// Bits lo, lo+step, ... <= hi.
    func stride(_ lo: Int, _ hi: Int, _ step: Int) -> UInt64 {
        if step == 1 { return CronBits.mask(lo, hi) }
        var bits: UInt64 = 0
        var v = lo
        while v <= hi {
            bits |= UInt64(1) << UInt64(v)
            v += step
        }
        return bits
    }
}
