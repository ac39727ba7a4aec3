import PipecSchedule

/// Which runs a command covers: `--ds D` (a date: every run whose ds is D; a timestamp: the run with that logical
/// date), `--from A --to B` (every run whose ds, or logical date, lies in [A, B]), or the schedule's first run.
public enum RunSelection: Sendable {
    case ds(String)
    case range(from: String, to: String)
    case first

    public struct Problem: Error, Sendable {
        public var message: String
    }

    public func runs(for pipeline: Pipeline) throws(Problem) -> [RunTimes] {
        let schedule = pipeline.schedule?.schedule ?? Schedule(kind: .manual)
        switch self {
        case .first:
            return [TemplateChecker.sampleRun(pipeline)]
        case .ds(let text):
            if let date = try? Timestamp.parseDate(text).get() {
                let runs = schedule.runs(forDs: date)
                guard !runs.isEmpty else { throw Problem(message: "no run of \(pipeline.name.value) has ds \(text) (check the schedule's start and end)") }
                return runs
            }
            let instant = try parse(text, schedule.zone)
            return [schedule.runTimes(logicalDate: instant, runType: schedule.kind == .manual ? .manual : .scheduled)]
        case .range(let from, let to):
            if let a = try? Timestamp.parseDate(from).get(), let b = try? Timestamp.parseDate(to).get() {
                guard a <= b else { throw Problem(message: "--from \(from) is after --to \(to)") }
                return schedule.runs(fromDs: a, throughDs: b)
            }
            let a = try parse(from, schedule.zone), b = try parse(to, schedule.zone)
            guard a <= b else { throw Problem(message: "--from \(from) is after --to \(to)") }
            return schedule.runs(from: a, through: b)
        }
    }

    private func parse(_ text: String, _ zone: Zone) throws(Problem) -> Instant {
        switch Timestamp.parse(text, zone: zone) {
        case .success(let i): return i
        case .failure(let e): throw Problem(message: e.message)
        }
    }
}
