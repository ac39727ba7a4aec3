/// Dates and timestamps as text (`2025-01-01`, `2025-01-01 10:00:00.5`, `2025-01-01T10:00:00+02:00`) to the
/// numbers Parquet stores: days, or microseconds, since 1970-01-01 (UTC), on the proleptic Gregorian calendar.
enum CivilTime {
    /// Days since 1970-01-01 of a `YYYY-MM-DD` date, or nil when the text is anything else.
    static func days(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == 10, let days = date(bytes) else { return nil }
            return Int32(days)
        }
    }

    /// Microseconds since 1970-01-01 00:00 UTC, or nil when the text is not a timestamp.
    ///
    /// Accepts a date alone (midnight) or `date[T| ]HH:MM[:SS[.fraction]]` followed by an optional zone: `Z`,
    /// `UTC`, or an offset `±HH`, `±HHMM`, `±HH:MM` (optionally after a space). Without a zone the time is taken
    /// as UTC. Fraction digits past the sixth are dropped (nanoseconds truncate to microseconds).
    static func microseconds(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 10, let days = date(bytes) else { return nil }
            var micros = Int64(days) * 86_400_000_000
            var i = 10
            guard i < bytes.count else { return micros }
            guard bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: "t") || bytes[i] == UInt8(ascii: " ") else { return nil }
            i += 1
            guard let hour = number(bytes, at: i, digits: 2), hour < 24,
                  i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: ":"),
                  let minute = number(bytes, at: i + 3, digits: 2), minute < 60 else { return nil }
            i += 5
            var second = 0
            if i < bytes.count && bytes[i] == UInt8(ascii: ":") {
                guard let s = number(bytes, at: i + 1, digits: 2), s < 60 else { return nil }
                second = s
                i += 3
            }
            var fraction = 0
            if i < bytes.count && (bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",")) {
                i += 1
                var digits = 0
                while i < bytes.count, let d = digit(bytes[i]) {
                    if digits < 6 { fraction = fraction * 10 + d }
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<max(digits, 6) { fraction *= 10 }
            }
            micros += Int64((hour * 60 + minute) * 60 + second) * 1_000_000 + Int64(fraction)
            guard let offset = zoneOffsetSeconds(bytes, from: i) else { return nil }
            return micros - Int64(offset) * 1_000_000
        }
    }

    /// Days since 1970-01-01 for a valid proleptic Gregorian date (counting from March, so the leap day is
    /// the last day of the counting year).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468   // 719_468: days from 0000-03-01 to 1970-01-01
    }

    // MARK: Pieces

    /// `YYYY-MM-DD` at the start of `bytes`, checked against the month's length.
    private static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let year = number(bytes, at: 0, digits: 4), bytes[4] == UInt8(ascii: "-"),
              let month = number(bytes, at: 5, digits: 2), bytes[7] == UInt8(ascii: "-"),
              let day = number(bytes, at: 8, digits: 2),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        return daysSinceEpoch(year: year, month: month, day: day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Seconds east of UTC for the zone at `i` (0 when the text ends there), nil for anything unrecognised.
    private static func zoneOffsetSeconds(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        if i < bytes.count && bytes[i] == UInt8(ascii: " ") { i += 1 }
        let rest = bytes.count - i
        if rest == 0 { return i == start ? 0 : nil }
        if rest == 1 && (bytes[i] == UInt8(ascii: "Z") || bytes[i] == UInt8(ascii: "z")) { return 0 }
        if rest == 3 && bytes[i] == UInt8(ascii: "U") && bytes[i + 1] == UInt8(ascii: "T") && bytes[i + 2] == UInt8(ascii: "C") {
            return 0
        }
        guard bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") else { return nil }
        let sign = bytes[i] == UInt8(ascii: "-") ? -1 : 1
        guard let hours = number(bytes, at: i + 1, digits: 2), hours <= 18 else { return nil }
        var minutes = 0
        switch rest {
        case 3: break
        case 5: guard let m = number(bytes, at: i + 3, digits: 2) else { return nil }; minutes = m
        case 6:
            guard bytes[i + 3] == UInt8(ascii: ":"), let m = number(bytes, at: i + 4, digits: 2) else { return nil }
            minutes = m
        default: return nil
        }
        guard minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, digits: Int) -> Int? {
        guard start + digits <= bytes.count else { return nil }
        var value = 0
        for i in start..<(start + digits) {
            guard let d = digit(bytes[i]) else { return nil }
            value = value * 10 + d
        }
        return value
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
