import Foundation
import PipecModel
import PipecPlan

/// Runs a check: the violations query, a sample of offending rows when it fails, the remediation (quarantine or
/// skip) under `on_bad_rows`, and a row in the validation log either way. An error-severity failure that is not
/// remediated fails the unit with the sample in the message.
struct CheckRunner {
    let context: ApplyContext
    let run: Int
    let unit: String
    let cancel: CancellationFlag

    func check(_ step: CheckStep, remediate: (PlanStep) throws -> Void) throws {
        let (violations, observed, sample) = try measure(step)
        var status = violations == 0 ? "pass" : step.severity == .warn ? "warn" : "fail"
        if violations > 0 && step.severity == .error && step.onViolation != .fail && !step.remediation.isEmpty {
            for r in step.remediation { try remediate(r) }
            status = step.onViolation == .quarantine ? "quarantined" : "skipped_rows"
        }
        try context.state.recordCheck(CheckResultRecord(
            applyID: context.applyID, pipeline: context.pipeline.name.value, runID: context.plan.runs[run].runId, unit: unit,
            check: step.name, severity: step.severity.rawValue, status: status, violations: violations, observed: observed,
            sample: sample, assertion: step.assertion))
        let target = step.table.map { " on \($0)" } ?? ""
        switch status {
        case "pass": context.log.line("  check \(step.name)\(target): pass")
        case "warn": context.log.line("  check \(step.name)\(target): \(violations) violation(s) (warn): \(step.assertion)")
        case "quarantined": context.log.line("  check \(step.name)\(target): \(violations) row(s) quarantined: \(step.assertion)")
        case "skipped_rows": context.log.line("  check \(step.name)\(target): \(violations) row(s) dropped and counted: \(step.assertion)")
        default:
            throw CheckFailure(message: "check \(step.name)\(target) failed: \(step.assertion); \(violations) violation(s)"
                               + (observed.map { " (observed \($0))" } ?? "") + (sample.map { "\nsample:\n\($0)" } ?? ""))
        }
    }

    /// Violations, what was measured, and up to a few offending rows as text.
    private func measure(_ step: CheckStep) throws -> (Int, String?, String?) {
        switch step.probe {
        case .query(let violations, let sampleSQL, _):
            let engine = try context.resources.engine(violations.resource)
            let result = try engine.query(violations.sql, cancel: cancel)
            let count = Int(result.scalar ?? 0)
            let observed = result.columns.firstIndex(of: "observed").flatMap { i in result.rows.first.flatMap { $0.count > i ? $0[i] : nil } }
            guard count > 0, let sampleSQL else { return (count, observed, nil) }
            let sample = try engine.query(sampleSQL, cancel: cancel)
            return (count, observed, Self.table(sample))
        case .compare(let left, let right, let tolerance):
            let a = try context.resources.engine(left.resource).query(left.sql, cancel: cancel)
            let b = try context.resources.engine(right.resource).query(right.sql, cancel: cancel)
            var mismatches: [String] = []
            if a.rows.count != b.rows.count {
                mismatches.append("left has \(a.rows.count) row(s), right has \(b.rows.count)")
            }
            for (i, (ra, rb)) in zip(a.rows, b.rows).enumerated() {
                for (j, (x, y)) in zip(ra, rb).enumerated() where !Self.matches(x, y, tolerance: tolerance) {
                    let name = j < a.columns.count ? a.columns[j] : "column \(j + 1)"
                    mismatches.append("row \(i + 1) \(name): \(x ?? "NULL") vs \(y ?? "NULL")")
                }
            }
            let observed = "left \(Self.table(a).prefix(200)) / right \(Self.table(b).prefix(200))"
            return (mismatches.count, observed, mismatches.isEmpty ? nil : mismatches.prefix(10).joined(separator: "\n"))
        }
    }

    static func matches(_ x: String?, _ y: String?, tolerance: Double) -> Bool {
        if x == y { return true }
        guard let x, let y, let a = Double(x), let b = Double(y) else { return false }
        if a == b { return true }
        let scale = max(abs(a), abs(b))
        return scale > 0 && abs(a - b) / scale <= tolerance
    }

    /// Rows as a small text table for messages and the validation log.
    static func table(_ r: QueryResult) -> String {
        ([r.columns.joined(separator: " | ")] + r.rows.prefix(10).map { $0.map { $0 ?? "NULL" }.joined(separator: " | ") }).joined(separator: "\n")
    }
}
