import Foundation
import PipecDiagnostics
import PipecHTTP
import PipecModel

/// Sends messages to `webhook` (Slack-compatible JSON: `{"text": ...}`) and `email` (SMTP through libcurl)
/// resources: notify tasks and the pipeline's `alerts:` on failure, retry and success.
struct Alerting {
    let resources: Resources
    let log: ApplyLog

    /// `subject` and `message` are redacted here, where they leave pipec (they often quote an error, which may quote
    /// what a server echoed).
    func send(resource name: String, subject: String, message: String) throws {
        let subject = log.secrets.redact(subject), message = log.secrets.redact(message)
        guard let resource = resources.pipeline.resource(name) else { throw EngineError("unknown resource '\(name)'") }
        switch resource.kind {
        case .webhook:
            guard let url = try resources.setting(resource, "url"), !url.isEmpty else { throw EngineError("webhook '\(name)' has no url") }
            var request = HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")], timeoutMilliseconds: 30_000)
            for (key, value) in resource.headers {
                if case .success(let v) = value.resolve(resources.environment) { request.setHeader(key, v) }
            }
            let body = JSONValue.object([("text", .string(message))]).serialized(pretty: false)
            let response = try HTTPSession().send(request, body: .bytes(Array(body.utf8)), limit: 1 << 20)
            guard response.head.isSuccess else {
                throw EngineError("webhook '\(name)' answered HTTP \(response.status): \(log.secrets.redact(response.text).prefix(200))")
            }
        case .email:
            guard let smtp = try resources.setting(resource, "smtp"), let from = try resources.setting(resource, "from") else {
                throw EngineError("email resource '\(name)' needs smtp and from")
            }
            let to = try resource.recipients.map { value -> String in
                switch value.resolve(resources.environment) {
                case .success(let s): return s
                case .failure(let m): throw EngineError("environment variable \(m.name) is not set (needed by 'to' of '\(name)')")
                }
            }
            let sender = MailSender(server: smtp, user: try resources.setting(resource, "user"), password: try resources.setting(resource, "password"))
            try sender.send(from: from, to: to, subject: subject, text: message)
        default:
            throw EngineError("resource '\(name)' is a \(resource.kind.rawValue) resource, not a webhook or email")
        }
        log.line("  sent a message to \(name)")
    }
}
