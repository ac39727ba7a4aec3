import PipecPlan
import PipecSchedule

/// Checks a load's row against the plan's `LoadColumnRule`s and `LoadIntervalRule` before it is written: why the
/// row is bad, or nil. A database may store what does not fit (SQLite keeps `abc` in a REAL column); pipec does not.
struct LoadValueCheck {
    let columns: [String]
    let rules: [LoadColumnRule]
    let interval: LoadIntervalRule?
    private let intervalIndex: Int?

    init(_ step: LoadStep) {
        columns = step.columns
        rules = step.columnRules.count == step.columns.count ? step.columnRules : []
        interval = step.intervalRule
        intervalIndex = step.intervalRule.flatMap { r in step.columns.firstIndex(of: r.column) }
    }

    var checksNothing: Bool { rules.allSatisfy { $0.kind == .text && $0.nullable } && interval == nil }

    /// The reason `row` (values in `columns` order) is a bad row, or nil when it fits.
    func problem(_ row: [String?]) -> String? {
        for (i, rule) in rules.enumerated() where i < row.count {
            guard let value = row[i] else {
                if !rule.nullable { return "\(columns[i]) is empty, and the column is not nullable" }
                continue
            }
            if !Self.fits(value, rule.kind) { return "\(columns[i]) '\(Self.shown(value))' is not \(Self.article(rule.kind))" }
        }
        if let interval, let i = intervalIndex, i < row.count {
            guard let value = row[i], case .success(let instant) = Timestamp.parse(value.trimmingSpaces, zone: .utc) else {
                return "\(interval.column) '\(Self.shown(row[i] ?? ""))' is not a time, so no rerun could find the row"
            }
            if instant < interval.interval.start || instant >= interval.interval.end {
                return "\(interval.column) \(value) lies outside the interval [\(interval.interval.start), \(interval.interval.end)), so the rerun's delete would miss it"
            }
        }
        return nil
    }

    static func fits(_ value: String, _ kind: LoadValueKind) -> Bool {
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
            if case .success = Timestamp.parse(v, zone: .utc) { return true }
            return false
        }
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
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
