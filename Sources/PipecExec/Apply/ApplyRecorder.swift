import Foundation
import PipecModel
import PipecPlan
import PipecSchedule

/// Turns runner events into log lines, state-store rows (task instances with their tries and measurements,
/// completed intervals) and alerts.
final class ApplyRecorder: @unchecked Sendable {
    let context: ApplyContext
    let scheduled: [String: ScheduledUnit]
    private let lock = NSLock()
    private var started: [String: String] = [:]
    /// Items whose interval was marked done together with their final try.
    private var markedDone = Set<String>()
    /// Units of each run not settled yet, for the progress bar's run count.
    private var unsettledInRun: [Int: Int] = [:]

    init(context: ApplyContext, scheduled: [String: ScheduledUnit]) {
        self.context = context
        self.scheduled = scheduled
        for (_, s) in scheduled where s.unit.id != "setup" { unsettledInRun[s.run, default: 0] += 1 }
    }

    enum AlertKind { case failure, retry, success }

    func observe(_ event: RunnerEvent) {
        switch event {
        case .started(let item, let attempt):
            guard let s = scheduled[item.id] else { return }
            let begin = Instant.now().description
            lock.withLock { started["\(item.id)#\(attempt)"] = begin }
            if s.unit.id != "setup" {
                context.log.line("\(label(s)) started\(attempt > 1 ? " (try \(attempt))" : "")")
                // Recorded as running now (replaced when it ends), so a try cut short by a kill stays in the history.
                record(TaskInstanceRecord(applyID: context.applyID, pipeline: context.pipeline.name.value, runID: runID(s),
                                          logicalDate: context.plan.runs[s.run].logicalDate.description, unit: s.unit.id, tryNumber: attempt,
                                          status: "running", startedAt: begin, endedAt: nil, durationMilliseconds: nil, rows: nil,
                                          peakRSSKilobytes: nil, error: nil))
            }
        case .attemptFinished(let item, let attempt, let outcome, let ms):
            guard let s = scheduled[item.id] else { return }
            let (status, rows, error): (String, Int?, String?)
            switch outcome {
            case .success(let r): (status, rows, error) = ("success", r, nil)
            case .skipped(let reason), .shortCircuit(let reason): (status, rows, error) = ("skipped", nil, reason)
            case .failed(let message): (status, rows, error) = ("failed", nil, message)
            }
            if s.unit.id == "setup" {
                if let error { context.log.line("run \(runID(s)): setup failed: \(error)") }
                return
            }
            let begin = lock.withLock { started["\(item.id)#\(attempt)"] } ?? Instant.now().description
            // A success or a skip is final: the interval is marked done in the same commit as the try.
            let final = status != "failed"
            record(TaskInstanceRecord(applyID: context.applyID, pipeline: context.pipeline.name.value, runID: runID(s),
                                      logicalDate: context.plan.runs[s.run].logicalDate.description, unit: s.unit.id, tryNumber: attempt,
                                      status: status, startedAt: begin, endedAt: Instant.now().description, durationMilliseconds: ms, rows: rows,
                                      peakRSSKilobytes: Self.peakRSSKilobytes(), error: error),
                   done: final ? (status, s.unit.contentHash) : nil)
            if final { lock.withLock { _ = markedDone.insert(item.id) } }
            let rate = rows.flatMap { r in ms > 0 ? " (\(Int(Double(r) * 1000 / Double(ms))) rows/s)" : nil } ?? ""
            switch outcome {
            case .success(let r): context.log.line("\(label(s)) succeeded in \(Self.duration(ms))\(r.map { ", \($0) rows\(rate)" } ?? "")")
            case .skipped(let reason), .shortCircuit(let reason): context.log.line("\(label(s)) skipped: \(reason)")
            case .failed(let message):
                context.log.line("\(label(s)) failed (try \(attempt)): \(message)")
            }
        case .retrying(let item, let attempt, let delay, let message):
            guard let s = scheduled[item.id] else { return }
            context.log.line("\(label(s)) will retry in \(Self.duration(delay)) (try \(attempt + 1) of \(item.retries + 1))")
            alert(.retry, run: s.run, unit: s.unit.id, message: "\(s.unit.id) failed (try \(attempt)) and will retry: \(message)")
        case .settled(let item, let state, let reason):
            guard let s = scheduled[item.id], s.unit.id != "setup" else { return }
            context.log.unitSettled()
            let runDone: Bool = lock.withLock {
                unsettledInRun[s.run, default: 1] -= 1
                return unsettledInRun[s.run] == 0
            }
            if runDone { context.log.runFinished() }
            switch state {
            case .success, .skipped:
                do {
                    // Units settled without a try of their own (skipped downstream of a short-circuit) are marked here.
                    if lock.withLock({ markedDone.contains(item.id) }) == false {
                        try context.state.markIntervalDone(pipeline: context.pipeline.name.value, unit: s.unit.id,
                                                       logicalDate: context.plan.runs[s.run].logicalDate.description, status: state.rawValue,
                                                       contentHash: s.unit.contentHash, applyID: context.applyID)
                    }
                } catch {
                    context.log.line("warning: could not record \(s.unit.id) as done: \(error)")
                }
                if state == .skipped, let reason, reason.hasPrefix("skipped:") || reason.hasPrefix("an upstream") || reason.hasPrefix("trigger_rule") {
                    context.log.line("\(label(s)) skipped: \(reason)")
                }
            case .failed:
                alert(.failure, run: s.run, unit: s.unit.id, message: "\(s.unit.id) failed: \(reason ?? "")")
            case .upstreamFailed, .cancelled:
                context.log.line("\(label(s)) not run: \(reason ?? state.rawValue)")
            }
        }
    }

    private func record(_ instance: TaskInstanceRecord, done: (status: String, contentHash: String)? = nil) {
        do {
            try context.state.recordTaskInstance(instance, done: done)
        } catch {
            context.log.line("warning: could not record \(instance.unit) in the state store: \(error)")
        }
    }

    private func runID(_ s: ScheduledUnit) -> String { context.plan.runs[s.run].runId }

    private func label(_ s: ScheduledUnit) -> String { "[\(context.plan.runs[s.run].ds)] \(s.unit.id)" }

    /// Tells the pipeline's alert resources; a failing alert is logged, never fails the run.
    func alert(_ kind: AlertKind, run: Int, unit: String?, message: String) {
        let alerts = context.pipeline.alerts
        let targets: [Located<String>]
        switch kind {
        case .failure: targets = alerts.onFailure
        case .retry: targets = alerts.onRetry
        case .success: targets = alerts.onSuccess
        }
        guard !targets.isEmpty else { return }
        let run = context.plan.runs[run]
        let text = "pipec \(context.pipeline.name.value) \(run.runId) (ds \(run.ds)): \(message)\nlog: pipec runs \(context.pipeline.file)"
        for target in targets {
            do {
                try Alerting(resources: context.resources, log: context.log).send(resource: target.value, subject: "pipec \(context.pipeline.name.value): \(message.prefix(80))",
                                                                                   message: text)
            } catch {
                context.log.line("warning: alert to \(target.value) failed: \(error)")
            }
        }
    }

    static func duration(_ ms: Int64) -> String {
        ms < 1000 ? "\(ms)ms" : ms < 60_000 ? String(format: "%.1fs", Double(ms) / 1000) : "\(ms / 60_000)m\(ms % 60_000 / 1000)s"
    }

    /// This process's peak resident memory so far, in KiB (getrusage's ru_maxrss, which Linux reports in KiB):
    /// a system call per task instance, where reading /proc would cost a file read.
    static func peakRSSKilobytes() -> Int? {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        return Int(usage.ru_maxrss)
    }
}
