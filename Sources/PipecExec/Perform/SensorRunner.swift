import Foundation
import PipecModel
import PipecPlan
import PipecTemplate

/// Pokes a sensor's condition every `poke_interval` until it holds. The unit's timeout (enforced by the runner's
/// cancellation) ends the wait: a failure, or a skip with `soft_fail`. A timeout of 0 pokes once.
struct SensorRunner {
    let context: ApplyContext
    let run: Int
    let unit: String
    let cancel: CancellationFlag

    /// Returns the sensor's value (a query's result, the keys found) and, for an http sensor, the response
    /// headers, once the condition holds.
    func wait(_ step: SensorStep) throws -> (TemplateValue, TemplateValue) {
        var pokes = 0
        while true {
            if let found = try poke(step.probe) { return found }
            pokes += 1
            // `timeout: 0s` checks exactly once (a past day's file is there or not).
            if step.timeoutMilliseconds == 0 {
                if step.softFail { throw SensorSoftFail(reason: "sensor timed out after 1 poke(s) (timeout: 0s); soft_fail skips it") }
                throw EngineError("sensor timed out after 1 poke(s) (timeout: 0s) without its condition holding")
            }
            let end = DispatchTime.now().uptimeNanoseconds + UInt64(max(50, step.pokeIntervalMilliseconds)) * 1_000_000
            while DispatchTime.now().uptimeNanoseconds < end {
                if cancel.isCancelled {
                    let reason = cancel.reason ?? "cancelled"
                    if step.softFail && reason.hasPrefix("timed out") {
                        throw SensorSoftFail(reason: "sensor \(reason) after \(pokes) poke(s); soft_fail skips it")
                    }
                    throw EngineError("sensor \(reason) after \(pokes) poke(s) without its condition holding")
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// nil while the condition does not hold.
    private func poke(_ probe: SensorProbe) throws -> (TemplateValue, TemplateValue)? {
        if case .http(let call, let status, let header) = probe {
            // Only the status and headers matter: the body (a whole report, once ready) is not downloaded.
            switch try HTTPCalls(context: context, run: run, unit: unit, cancel: cancel).send(call, untilStatus: status, untilHeader: header) {
            case .ready(let stream, let head):
                stream.close()
                return (.int(head.status), HTTPCalls.headers(head))
            case .notYet:
                return nil
            }
        }
        return try probeValue(probe).map { ($0, .dict([])) }
    }

    private func probeValue(_ probe: SensorProbe) throws -> TemplateValue? {
        switch probe {
        case .objectKey(let address):
            let store = try context.resources.store(address.resource)
            return try store.exists(address.key) ? .strings([address.key]) : nil
        case .objectPrefix(let address):
            let keys = try context.resources.store(address.resource).list(prefix: address.key)
            return keys.isEmpty ? nil : .strings(keys)
        case .sql(let q):
            let result = try context.resources.engine(q.resource).query(q.sql, cancel: cancel)
            guard let first = result.rows.first?.first, let text = first else { return nil }
            let falsy = ["", "0", "f", "false", "no"].contains(text.lowercased())
            return falsy ? nil : .string(text)
        case .pipeline(let name, let task):
            let logical = context.plan.runs[run].logicalDate.description
            let state = try context.state.lastState(pipeline: name, unit: task, logicalDate: logical)
            return state == "success" ? .string("success") : nil
        case .http:
            return nil
        }
    }
}
