import PipecPlan
import PipecSchedule

/// Checks a load's row against the plan's `LoadColumnRule`s and `LoadIntervalRule` before it is written: why the
/// row is bad, or nil. A database may store what does not fit (SQLite keeps `abc` in a REAL column); pipec does not.
struct LoadValueCheck {
    let columns: [String]
    let rules: [LoadColumnRule]
    let interval: LoadIntervalRule?
    private let intervalIndex: Int?
    /// Nothing to check: every column takes any text or NULL, and no interval applies.
    let checksNothing: Bool

    init(_ step: LoadStep) {
        columns = step.columns
        rules = step.columnRules.count == step.columns.count ? step.columnRules : []
        interval = step.intervalRule
        intervalIndex = step.intervalRule.flatMap { r in step.columns.firstIndex(of: r.column) }
        checksNothing = rules.allSatisfy { $0.kind == .text && $0.nullable } && interval == nil
    }

    /// The reason `row` (values in `columns` order) is a bad row, or nil when it fits. Runs for every row a load
    /// reads, so it walks by index and parses the common time forms without the general parser.
    func problem(_ row: [String?]) -> String? {
        let count = min(rules.count, row.count)
        var i = 0
        while i < count {
            let rule = rules[i]
            defer { i += 1 }
            guard let value = row[i] else {
                if !rule.nullable { return "\(columns[i]) is empty, and the column is not nullable" }
                continue
            }
            // The interval column's time is parsed once, below.
            if i == intervalIndex && rule.kind == .timestamp { continue }
            if !Self.fits(value, rule.kind) { return "\(columns[i]) '\(Self.shown(value))' is not \(Self.article(rule.kind))" }
        }
        if let interval, let i = intervalIndex, i < row.count {
            guard let value = row[i], let instant = Self.instant(value) else {
                return "\(interval.column) '\(Self.shown(row[i] ?? ""))' is not a time, so no rerun could find the row"
            }
            if instant < interval.interval.start || instant >= interval.interval.end {
                return "\(interval.column) \(value) lies outside the interval [\(interval.interval.start), \(interval.interval.end)), so the rerun's delete would miss it"
            }
        }
        return nil
    }

    static func fits(_ value: String, _ kind: LoadValueKind) -> Bool {
        if kind == .text { return true }
        let v = value.trimmingSpaces
        switch kind {
        case .text: return true
        case .integer:
            var digits = Substring(v)
            if let f = digits.first, f == "-" || f == "+" { digits = digits.dropFirst() }
            return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
        case .number:
            // Double() also reads hexadecimal (0x1p3), which no database takes as a decimal number.
            guard !v.contains(where: { $0 == "x" || $0 == "X" }), let d = Double(v) else { return false }
            return d.isFinite || ["inf", "-inf", "+inf", "infinity", "-infinity", "nan"].contains(v.lowercased())
        case .boolean:
            return ["true", "false", "t", "f", "1", "0", "yes", "no"].contains(v.lowercased())
        case .date:
            if case .success = Timestamp.parseDate(v) { return true }
            return false
        case .timestamp:
            return instant(v) != nil
        }
    }

    /// A UTC time from ISO 8601 text (no offset: UTC): `YYYY-MM-DD` and `YYYY-MM-DD HH:MM:SS` directly, every other
    /// form through `Timestamp.parse`.
    static func instant(_ value: String) -> Instant? {
        var text = value
        let fast: Instant? = text.withUTF8 { b -> Instant? in
            guard b.count == 10 || b.count == 19 else { return nil }
            func digits(_ from: Int, _ n: Int) -> Int? {
                var v = 0
                for k in from..<from + n {
                    let d = Int(b[k]) - 48
                    guard d >= 0 && d <= 9 else { return nil }
                    v = v * 10 + d
                }
                return v
            }
            guard b[4] == 0x2D, b[7] == 0x2D, let y = digits(0, 4), let m = digits(5, 2), let d = digits(8, 2),
                  (1...12).contains(m), d >= 1, d <= CivilDateTime.daysInMonth(y, m) else { return nil }
            guard b.count == 19 else { return CivilDateTime(year: y, month: m, day: d).instant(offsetSeconds: 0) }
            guard b[10] == 0x20 || b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, let h = digits(11, 2), let mi = digits(14, 2),
                  let s = digits(17, 2), h < 24, mi < 60, s < 60 else { return nil }
            return CivilDateTime(year: y, month: m, day: d, hour: h, minute: mi, second: s).instant(offsetSeconds: 0)
        }
        if let fast { return fast }
        if case .success(let i) = Timestamp.parse(value.trimmingSpaces, zone: .utc) { return i }
        return nil
    }

    private static func article(_ kind: LoadValueKind) -> String {
        switch kind {
        case .integer: return "an integer"
        case .number: return "a number"
        case .boolean: return "a boolean"
        case .date: return "a date (YYYY-MM-DD)"
        case .timestamp: return "a timestamp (ISO 8601)"
        case .text: return "text"
        }
    }

    /// A value as quoted in a reason: at most 40 characters.
    private static func shown(_ value: String) -> String {
        value.count > 40 ? String(value.prefix(40)) + "…" : value
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        guard let f = first, let l = last, f.isWhitespace || l.isWhitespace else { return self }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
