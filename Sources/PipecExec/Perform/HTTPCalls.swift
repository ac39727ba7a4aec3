import Foundation
import PipecHTTP
import PipecModel
import PipecPlan
import PipecSchedule
import PipecTemplate

/// Requests against `http` resources, as loads and sensors send them: the resource's `base_url` and headers
/// (environment resolved), the task's own headers rendered for the interval, the plan's path and query.
/// Server errors (5xx), throttling (429, honouring `Retry-After`) and lost connections are retried within the
/// attempt with capped exponential backoff; other 4xx fail at once with what the server said.
struct HTTPCalls {
    let context: ApplyContext
    let run: Int
    let unit: String
    let cancel: CancellationFlag
    /// Retries of one request before the attempt fails (the task's own `retries` come on top).
    var maxRetries = 4
    static let retryBackoff = Backoff(base: 0.5, cap: 30)

    /// The model's request for this unit (a load's source or a sensor's condition), for what the plan does not
    /// carry: the task's header templates and its `until`.
    var modelRequest: PipecModel.HTTPRequest? {
        switch context.pipeline.task(unit)?.body {
        case .load(let load)?:
            if case .http(let h, _, _, _) = load.source { return h }
        case .sensor(let sensor)?:
            if case .http(let h) = sensor.condition { return h }
        default: break
        }
        return nil
    }

    func request(_ call: HTTPCall) throws -> PipecHTTP.HTTPRequest {
        let resources = context.resources
        guard let resource = context.pipeline.resource(call.resource) else { throw EngineError("unknown resource '\(call.resource)'") }
        guard var base = try resources.setting(resource, "base_url"), !base.isEmpty else {
            throw EngineError("http resource '\(call.resource)' has an empty base_url")
        }
        while base.hasSuffix("/") { base.removeLast() }
        let path = call.path.hasPrefix("/") || call.path.isEmpty ? call.path : "/" + call.path
        var url = base + path
        if !call.query.isEmpty {
            url += (url.contains("?") ? "&" : "?") + call.query.map { URLEncoding.encode($0.key) + "=" + URLEncoding.encode($0.value) }.joined(separator: "&")
        }
        let timeout = try resources.setting(resource, "timeout").flatMap { try? SpecDuration.parse($0).get().milliseconds }
        var request = PipecHTTP.HTTPRequest(method: call.method.uppercased(), url: url, timeoutMilliseconds: timeout.map { Int($0) })
        request.acceptsCompression = true
        if let body = call.body {
            // A JSON-looking body says so; anything else is sent as text. A task header may still override it.
            let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
            request.setHeader("Content-Type", trimmed.hasPrefix("{") || trimmed.hasPrefix("[") ? "application/json" : "text/plain; charset=utf-8")
        }
        for (name, value) in resource.headers {
            switch value.resolve(resources.environment) {
            case .success(let v): request.setHeader(name, v)
            case .failure(let missing):
                throw EngineError("\(missing.location): environment variable \(missing.name) is not set (needed by header '\(name)' of resource '\(call.resource)')")
            }
        }
        for header in modelRequest?.headers ?? [] {
            let value = try render(header.value)
            // Every header value is a secret; a request's own are known only now, rendered for the interval.
            context.log.secrets.learn([value] + value.split(separator: " ").filter { $0.count >= 8 }.map(String.init))
            request.setHeader(header.key, value)
        }
        return request
    }

    /// A task header, rendered at apply (headers are secrets, so the plan shows them as `***`).
    private func render(_ text: TemplateText) throws -> String {
        let rendered: String
        do throws(TemplateError) {
            let origin = TemplateOrigin(file: text.origin.file, line: text.origin.line, column: text.origin.column, indent: text.origin.indent)
            rendered = try Template.parse(text.text, origin: origin).render(context.context(run: run, unit: unit))
        } catch {
            throw EngineError(error.diagnostic.message)
        }
        switch EnvironmentText.resolve(rendered, environment: context.resources.environment) {
        case .success(let filled): return filled
        case .failure(let unset):
            let d = EnvironmentText.unsetDiagnostic(unset, in: text, owner: "task '\(unit)'")
            throw EngineError("\(d.location.map { "\($0): " } ?? "")\(d.message)")
        }
    }

    /// What a response says about readiness.
    enum Answer {
        case ready(HTTPBodyStream, HTTPResponseHead)
        /// Not yet (202, another 2xx than awaited, a missing header, 404): poll again later.
        case notYet(String)
    }

    /// Sends the request once (plus retries of transient failures) and classifies the answer against `until`
    /// (nil status = any 2xx). A ready answer's body is left unread for the caller.
    func send(_ call: HTTPCall, untilStatus: Int?, untilHeader: String?) throws -> Answer {
        let request = try request(call)
        var attempt = 0
        while true {
            if cancel.isCancelled { throw EngineError(cancel.reason ?? "cancelled") }
            let stream = HTTPBodyStream(session: try HTTPSession(), request: request, body: call.body.map { Array($0.utf8) },
                                        shouldCancel: { [cancel] in cancel.isCancelled })
            let head: HTTPResponseHead
            do {
                head = try stream.head()
            } catch let e as HTTPError {
                stream.close()
                if case .cancelled = e { throw EngineError(cancel.reason ?? "cancelled") }
                guard e.isTransient, attempt < maxRetries else {
                    throw EngineError("\(call.method) \(Self.redacted(request.url)): \(e)", unreachable: e.isUnreachable)
                }
                attempt += 1
                try cancel.pause(seconds: Self.retryBackoff.delay(attempt: attempt), waitingFor: "\(e)")
                continue
            }
            let status = head.status
            if status >= 500 || status == 429 {
                let text = String(decoding: (try? stream.rest(limit: 2048)) ?? [], as: UTF8.self)
                stream.close()
                guard attempt < maxRetries else {
                    throw EngineError("\(call.method) \(Self.redacted(request.url)) answered HTTP \(status) \(maxRetries + 1) times: \(quoted(text))")
                }
                attempt += 1
                let wait = head.header("Retry-After").flatMap(Double.init).map { min($0, 300) } ?? Self.retryBackoff.delay(attempt: attempt)
                try cancel.pause(seconds: wait, waitingFor: "HTTP \(status)")
                continue
            }
            let statusMatches = untilStatus.map { $0 == status } ?? (200..<300).contains(status)
            if statusMatches, untilHeader.map({ head.header($0) != nil }) ?? true { return .ready(stream, head) }
            let text = String(decoding: (try? stream.rest(limit: 2048)) ?? [], as: UTF8.self)
            stream.close()
            if (200..<400).contains(status) || status == 404 {
                let missing = statusMatches ? "no \(untilHeader ?? "") header" : "HTTP \(status)"
                return .notYet(missing)
            }
            throw EngineError("\(call.method) \(Self.redacted(request.url)) answered HTTP \(status): \(quoted(text))")
        }
    }

    /// What a server answered, for an error: redacted before it is shortened, so an echoed secret cut in two by the
    /// shortening cannot leave its first half behind.
    private func quoted(_ text: String) -> String {
        String(context.log.secrets.redact(text.trimmingCharacters(in: .whitespacesAndNewlines)).prefix(300))
    }

    /// Polls until the answer is ready (a load whose source says `until:`), every `pollMilliseconds`.
    func waitUntilReady(_ call: HTTPCall, untilStatus: Int?, untilHeader: String?, pollMilliseconds: Int64) throws -> (HTTPBodyStream, HTTPResponseHead) {
        var polls = 0
        while true {
            switch try send(call, untilStatus: untilStatus, untilHeader: untilHeader) {
            case .ready(let stream, let head): return (stream, head)
            case .notYet(let why):
                polls += 1
                if polls == 1 || polls % 10 == 0 { context.log.line("  \(unit): \(call.path) not ready yet (\(why)); polling") }
                try cancel.pause(seconds: Double(max(50, pollMilliseconds)) / 1000, waitingFor: why)
            }
        }
    }

    /// Headers as a template dict, under the names the server sent and their canonical `Rows-Number` spelling.
    static func headers(_ head: HTTPResponseHead) -> TemplateValue {
        var pairs: [(String, TemplateValue)] = []
        var seen = Set<String>()
        for (name, value) in head.headers {
            let canonical = name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: "-")
            for key in [name, canonical] where seen.insert(key).inserted { pairs.append((key, .string(value))) }
        }
        return .dict(pairs)
    }

    /// The URL without its query (which may carry tokens), for messages.
    static func redacted(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }
}
