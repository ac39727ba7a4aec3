import PipecSchedule

/// Which runs a command covers: `--ds D` (a date: every run whose ds is D; a timestamp: the run with that logical
/// date), `--from A --to B` (every run whose ds, or logical date, lies in [A, B]), or the schedule's first run.
public enum RunSelection: Sendable {
    case ds(String)
    case range(from: String, to: String)
    case first

    public struct Problem: Error, Sendable {
        public enum Kind: Sendable {
            /// A date or timestamp that does not parse, or `--from` after `--to`: a usage error (exit 2).
            case malformed
            /// Well-formed, but no run of the schedule falls there: E700, a failed command (exit 1).
            case noRuns
        }
        public var kind: Kind = .malformed
        public var message: String

        /// The message as printed: E700's carries its code.
        public var text: String { kind == .noRuns ? "\(message) [E700]" : message }
    }

    public func runs(for pipeline: Pipeline) throws(Problem) -> [RunTimes] {
        let schedule = pipeline.schedule?.schedule ?? Schedule(kind: .manual)
        switch self {
        case .first:
            return [TemplateChecker.sampleRun(pipeline)]
        case .ds(let text):
            if let date = try? Timestamp.parseDate(text).get() {
                let runs = schedule.runs(forDs: date)
                guard !runs.isEmpty else { throw Problem(kind: .noRuns, message: "no run of \(pipeline.name.value) has ds \(text) (check the schedule's start and end)") }
                return runs
            }
            let instant = try parse(text, schedule.zone)
            return [schedule.runTimes(logicalDate: instant, runType: schedule.kind == .manual ? .manual : .scheduled)]
        case .range(let from, let to):
            if let a = try? Timestamp.parseDate(from).get(), let b = try? Timestamp.parseDate(to).get() {
                guard a <= b else { throw Problem(message: "--from \(from) is after --to \(to)") }
                return try nonEmpty(schedule.runs(fromDs: a, throughDs: b), pipeline, from, to)
            }
            let a = try parse(from, schedule.zone), b = try parse(to, schedule.zone)
            guard a <= b else { throw Problem(message: "--from \(from) is after --to \(to)") }
            return try nonEmpty(schedule.runs(from: a, through: b), pipeline, from, to)
        }
    }

    private func nonEmpty(_ runs: [RunTimes], _ pipeline: Pipeline, _ from: String, _ to: String) throws(Problem) -> [RunTimes] {
        guard runs.isEmpty else { return runs }
        throw Problem(kind: .noRuns, message: "no runs of \(pipeline.name.value) fall in [\(from), \(to)] (check the schedule's start and end)")
    }

    private func parse(_ text: String, _ zone: Zone) throws(Problem) -> Instant {
        switch Timestamp.parse(text, zone: zone) {
        case .success(let i): return i
        case .failure(let e): throw Problem(message: e.message)
        }
    }
}
