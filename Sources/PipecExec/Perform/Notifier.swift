import Foundation
import PipecModel
import PipecPlan
import PipecTemplate

/// `kind: notify` tasks and alerts: a Slack-compatible JSON message to a webhook resource, or an e-mail.
struct Notifier {
    let context: ApplyContext
    let run: Int
    let unit: String
    let cancel: CancellationFlag

    func send(_ step: NotifyStep) throws {
        let message = try text(step.message)
        let subject = try step.subject.map(text)
        try Alerting(resources: context.resources, log: context.log).send(resource: step.resource, subject: subject ?? "pipec: \(context.pipeline.name.value)",
                                                                           message: message)
    }

    private func text(_ t: PlanText) throws -> String {
        switch t {
        case .rendered(let s): return s
        case .deferred(let d):
            do throws(TemplateError) {
                let template = try Template.parse(d.template, origin: TemplateOrigin(file: d.file, line: d.line, column: d.column, indent: d.indent))
                return try template.render(context.context(run: run, unit: unit))
            } catch {
                throw EngineError(error.diagnostic.message)
            }
        }
    }
}
