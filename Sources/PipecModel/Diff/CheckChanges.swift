import PipecSchedule

/// What changed inside a table's checks, for `pipec diff`: each check that was added, removed, or changed, with the
/// columns, values and bounds on each side, so a reviewer sees `row_count min 1 -> min 10` rather than only that
/// "checks" changed.
enum CheckChanges {
    /// One line per change. Identical checks (same rule and severity) pair up wherever they stand; what remains
    /// pairs by kind in written order (a change), and the rest are added or removed.
    static func lines(_ before: [Check], _ after: [Check]) -> [String] {
        var oldLeft = before
        var newLeft: [Check] = []
        for check in after {
            if let same = oldLeft.firstIndex(where: { $0.rule == check.rule && $0.severity == check.severity }) {
                oldLeft.remove(at: same)
            } else {
                newLeft.append(check)
            }
        }
        var out: [String] = []
        var added: [Check] = []
        for check in newLeft {
            if let pair = oldLeft.firstIndex(where: { $0.rule.name == check.rule.name }) {
                out.append("check \(check.rule.name) changed: \(describe(oldLeft[pair], kind: false)) -> \(describe(check, kind: false))")
                oldLeft.remove(at: pair)
            } else {
                added.append(check)
            }
        }
        out += oldLeft.map { "check removed: \(describe($0, kind: true))" }
        out += added.map { "check added: \(describe($0, kind: true))" }
        return out
    }

    /// `not_null [event_id, user_id]`, `accepted_values action in [view, like]`, `row_count min 1 max 1000`,
    /// `expression "value >= 0"`, `freshness event_time max_age 2h`; ` (severity warn)` when it only warns.
    static func describe(_ check: Check, kind: Bool) -> String {
        var text: String
        switch check.rule {
        case .notNull(let columns), .unique(let columns):
            text = "[\(columns.map(\.value).joined(separator: ", "))]"
        case .acceptedValues(let column, let values):
            text = "\(column.value) in [\(values.joined(separator: ", "))]"
        case .rowCount(let min, let max):
            let bounds = [min.map { "min \($0)" }, max.map { "max \($0)" }].compactMap { $0 }
            text = bounds.isEmpty ? "no bounds" : bounds.joined(separator: " ")
        case .expression(let expression):
            text = "\"\(expression.text)\""
        case .freshness(let column, let age):
            text = "\(column.value) max_age \(SpecDuration(milliseconds: age))"
        }
        if kind { text = "\(check.rule.name) \(text)" }
        if check.severity == .warn { text += " (severity warn)" }
        return text
    }
}
