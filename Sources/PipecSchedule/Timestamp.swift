/// ISO 8601 timestamps as specs write them (`start:`, `end:`, `--ds`, `--from`).
///
/// Accepted: `2025-01-01` (midnight in the schedule's zone), `2025-01-01T03:00`, `2025-01-01T03:00:00`,
/// fractional seconds up to microseconds (`03:00:00.250`), a space instead of `T`, and an optional offset
/// `Z`, `+02:00`, `+0200` or `+02`. Without an offset the wall clock is read in the given zone; a reading that
/// falls into a DST gap or fold is resolved as Airflow/pendulum do (see `Zone.localize`).
public enum Timestamp {
    public static func parse(_ text: String, zone: Zone) -> Result<Instant, TimeParseError> {
        var scanner = TimestampScanner(text)
        let civil: CivilDateTime
        switch scanner.dateTime() {
        case .failure(let error): return .failure(error)
        case .success(let value): civil = value
        }
        if scanner.atEnd { return .success(zone.localize(civil)) }
        switch scanner.offset() {
        case .failure(let error): return .failure(error)
        case .success(let offset):
            if !scanner.atEnd { return .failure(scanner.trailing()) }
            return .success(civil.instant(offsetSeconds: offset))
        }
    }

    /// A bare calendar date `YYYY-MM-DD` (as `--ds` takes it); the time fields are zero.
    public static func parseDate(_ text: String) -> Result<CivilDateTime, TimeParseError> {
        var scanner = TimestampScanner(text)
        switch scanner.date() {
        case .failure(let error): return .failure(error)
        case .success(let date):
            if !scanner.atEnd {
                return .failure(scanner.error("expected only a date like 2025-01-31", at: scanner.position,
                                              length: scanner.remaining))
            }
            return .success(date)
        }
    }
}

/// A cursor over the scalars of one timestamp, producing errors that name the field and its position.
struct TimestampScanner {
    let text: String
    let scalars: [Unicode.Scalar]
    var position = 0

    init(_ text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    var atEnd: Bool { position >= scalars.count }
    var remaining: Int { max(1, scalars.count - position) }

    func error(_ why: String, at column: Int, length: Int = 1) -> TimeParseError {
        TimeParseError(message: "invalid timestamp '\(text)': \(why)", column: min(column, max(0, scalars.count - 1)),
                       length: length)
    }

    func trailing() -> TimeParseError {
        error("unexpected '\(String(String.UnicodeScalarView(scalars[position...])))' at the end", at: position,
              length: remaining)
    }

    /// Exactly `count` ASCII digits.
    mutating func digits(_ count: Int, _ field: String) -> Result<Int, TimeParseError> {
        var value = 0
        for k in 0..<count {
            guard position + k < scalars.count, let d = asciiDigit(scalars[position + k]) else {
                return .failure(error("expected \(count) digits for the \(field)", at: position, length: count))
            }
            value = value * 10 + d
        }
        position += count
        return .success(value)
    }

    mutating func expect(_ c: Unicode.Scalar, _ what: String) -> TimeParseError? {
        guard position < scalars.count, scalars[position] == c else {
            return error("expected '\(c)' \(what)", at: position)
        }
        position += 1
        return nil
    }

    mutating func date() -> Result<CivilDateTime, TimeParseError> {
        if scalars.isEmpty { return .failure(error("it is empty; write e.g. 2025-01-31", at: 0)) }
        let yearAt = position
        guard case .success(let year) = digits(4, "year") else {
            return .failure(error("expected a date like 2025-01-31", at: yearAt, length: remaining))
        }
        if let e = expect("-", "after the year (dates are YYYY-MM-DD)") { return .failure(e) }
        let monthAt = position
        let month: Int
        switch digits(2, "month") { case .failure(let e): return .failure(e); case .success(let v): month = v }
        if !(1...12).contains(month) {
            return .failure(error("month \(month) is out of range 1-12", at: monthAt, length: 2))
        }
        if let e = expect("-", "after the month (dates are YYYY-MM-DD)") { return .failure(e) }
        let dayAt = position
        let day: Int
        switch digits(2, "day") { case .failure(let e): return .failure(e); case .success(let v): day = v }
        let days = CivilDateTime.daysInMonth(year, month)
        if day < 1 || day > days {
            return .failure(error("day \(day) does not exist in \(monthNames[month - 1]) \(year), which has \(days) days",
                                  at: dayAt, length: 2))
        }
        return .success(CivilDateTime(year: year, month: month, day: day))
    }

    mutating func dateTime() -> Result<CivilDateTime, TimeParseError> {
        var civil: CivilDateTime
        switch date() { case .failure(let e): return .failure(e); case .success(let v): civil = v }
        guard position < scalars.count, scalars[position] == "T" || scalars[position] == "t" || scalars[position] == " "
        else { return .success(civil) }
        position += 1
        let fields: [(String, ClosedRange<Int>)] = [("hour", 0...23), ("minute", 0...59), ("second", 0...59)]
        for (index, (name, range)) in fields.enumerated() {
            if index > 0 {
                // Seconds are optional: `2025-01-01T03:00` is complete.
                if index == 2 && (position >= scalars.count || scalars[position] != ":") { break }
                if let e = expect(":", "between the time fields (HH:MM:SS)") { return .failure(e) }
            }
            let at = position
            let value: Int
            switch digits(2, name) { case .failure(let e): return .failure(e); case .success(let v): value = v }
            if !range.contains(value) {
                return .failure(error("\(name) \(value) is out of range \(range.lowerBound)-\(range.upperBound)", at: at, length: 2))
            }
            switch index {
            case 0: civil.hour = value
            case 1: civil.minute = value
            default: civil.second = value
            }
        }
        if position < scalars.count, scalars[position] == "." || scalars[position] == "," {
            position += 1
            let at = position
            var micro = 0
            var count = 0
            while position < scalars.count, let d = asciiDigit(scalars[position]) {
                if count == 6 { return .failure(error("at most 6 fractional digits (microseconds) are kept", at: position)) }
                micro = micro * 10 + d
                count += 1
                position += 1
            }
            if count == 0 { return .failure(error("expected digits after the decimal point", at: at)) }
            for _ in count..<6 { micro *= 10 }
            civil.microsecond = micro
        }
        return .success(civil)
    }

    /// `Z`, `+HH:MM`, `+HHMM` or `+HH`; seconds east of UTC.
    mutating func offset() -> Result<Int, TimeParseError> {
        let at = position
        let c = scalars[position]
        if c == "Z" || c == "z" {
            position += 1
            return .success(0)
        }
        guard c == "+" || c == "-" else {
            return .failure(error("expected a UTC offset like Z or +02:00, found '\(String(String.UnicodeScalarView(scalars[position...])))'",
                                  at: position, length: remaining))
        }
        position += 1
        let hours: Int
        switch digits(2, "offset hours") { case .failure(let e): return .failure(e); case .success(let v): hours = v }
        var minutes = 0
        if position < scalars.count {
            if scalars[position] == ":" { position += 1 }
            switch digits(2, "offset minutes") { case .failure(let e): return .failure(e); case .success(let v): minutes = v }
        }
        if hours > 23 || minutes > 59 {
            return .failure(error("UTC offset out of range (at most ±23:59)", at: at, length: position - at))
        }
        let seconds = hours * 3600 + minutes * 60
        return .success(c == "-" ? -seconds : seconds)
    }
}

let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December"]
