import Foundation
import PipecDiagnostics
import PipecModel

/// Sends messages to `webhook` (Slack-compatible JSON: `{"text": ...}`) and `email` (SMTP through libcurl)
/// resources: notify tasks and the pipeline's `alerts:` on failure, retry and success.
struct Alerting {
    let resources: Resources
    let log: ApplyLog

    func send(resource name: String, subject: String, message: String) throws {
        guard let resource = resources.pipeline.resource(name) else { throw EngineError("unknown resource '\(name)'") }
        switch resource.kind {
        case .webhook:
            guard let url = try resources.setting(resource, "url"), !url.isEmpty else { throw EngineError("webhook '\(name)' has no url") }
            let request = try CurlRequest()
            request.url(url)
            request.addHeader("Content-Type: application/json")
            for (key, value) in resource.headers {
                if case .success(let v) = value.resolve(resources.environment) { request.addHeader("\(key): \(v)") }
            }
            let body = JSONValue.object([("text", .string(message))]).serialized(pretty: false)
            request.post(size: body.utf8.count)
            let (status, reply) = try request.perform(body: Array(body.utf8), timeoutMilliseconds: 30_000)
            guard (200..<300).contains(status) else {
                throw EngineError("webhook '\(name)' answered HTTP \(status): \(reply.prefix(200))")
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
            let request = try CurlRequest()
            request.url(smtp)
            request.mailFrom("<\(from)>")
            for address in to { request.addRecipient("<\(address)>") }
            request.credentials(user: try resources.setting(resource, "user"), password: try resources.setting(resource, "password"))
            request.upload()
            let mail = "From: <\(from)>\r\nTo: \(to.map { "<\($0)>" }.joined(separator: ", "))\r\nSubject: \(subject)\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + message.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
            _ = try request.perform(body: Array(mail.utf8), timeoutMilliseconds: 30_000)
        default:
            throw EngineError("resource '\(name)' is a \(resource.kind.rawValue) resource, not a webhook or email")
        }
        log.line("  sent a message to \(name)")
    }
}
