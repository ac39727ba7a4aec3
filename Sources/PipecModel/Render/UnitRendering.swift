import PipecDiagnostics
import PipecTemplate

/// One rendered template of a unit, with what it is ("build", "check expression", "http path", ...).
public struct RenderedPart: Sendable {
    public var label: String
    public var text: String
}

/// Renders every template of a table build or task for one run — what `pipec render` prints.
public enum UnitRendering {
    public static func render(_ unit: UnitID, env: RenderEnvironment) -> Result<[RenderedPart], Diagnostic> {
        let p = env.pipeline
        let context = env.context(for: unit)
        var labelled: [(String, TemplateText)] = []
        switch unit {
        case .table(let name):
            guard let t = p.table(name) else { return .failure(.error("E202", "unknown table '\(name)'", at: nil)) }
            if let s = t.sql { labelled.append((t.kind == .table ? "build" : "view", s)) }
            for c in t.checks { if case .expression(let e) = c.rule { labelled.append(("check expression", e)) } }
        case .task(let name):
            guard let t = p.task(name) else { return .failure(.error("E205", "unknown task '\(name)'", at: nil)) }
            labelled = parts(of: t)
        }
        // Every header value is a secret: rendered (so a broken one is still reported), shown as `***`, as in the plan.
        var headers: Set<String> = []
        if case .task(let name) = unit, let t = p.task(name) { headers = Set(httpRequest(of: t)?.headers.map { "http header \($0.key)" } ?? []) }
        var out: [RenderedPart] = []
        for (label, source) in labelled {
            let origin = TemplateOrigin(file: source.origin.file, line: source.origin.line, column: source.origin.column, indent: source.origin.indent)
            do throws(TemplateError) {
                let template = try Template.parse(source.text, origin: origin)
                // `when:` and notify texts that read task outputs are deferred to run time by compile; show them
                // the way compile does rather than rendering them with placeholder outputs.
                if lateLabels.contains(label) {
                    let outputs = Set(template.staticPaths(from: "tasks").map { $0.components.prefix(2).joined(separator: ".") }).sorted()
                    if !outputs.isEmpty {
                        out.append(RenderedPart(label: label, text: "\(source.text)  (rendered at run time with \(outputs.joined(separator: ", ")))"))
                        continue
                    }
                }
                var text = try template.render(context)
                if let environment = env.environment {
                    switch EnvironmentText.resolve(text, environment: environment) {
                    case .success(let filled): text = filled
                    case .failure(let unset): return .failure(EnvironmentText.unsetDiagnostic(unset, in: source, owner: "\(unit)"))
                    }
                }
                out.append(RenderedPart(label: label, text: headers.contains(label) ? "***" : text))
            } catch {
                return .failure(error.diagnostic)
            }
        }
        return .success(out)
    }

    private static func httpRequest(of task: Task) -> HTTPRequest? {
        switch task.body {
        case .load(let l): if case .http(let h, _, _, _) = l.source { return h }
        case .sensor(let s): if case .http(let h) = s.condition { return h }
        default: break
        }
        return nil
    }

    /// Parts the plan evaluates late when they read task outputs (`UnitTemplates.planText` in PipecPlan).
    static let lateLabels: Set<String> = ["when", "message", "subject"]

    static func parts(of task: Task) -> [(String, TemplateText)] {
        var out: [(String, TemplateText)] = []
        func http(_ h: HTTPRequest) {
            out.append(("http \(h.method) path", h.path))
            out += h.query.map { ("http query \($0.key)", $0.value) }
            out += h.headers.map { ("http header \($0.key)", $0.value) }
            if let b = h.body { out.append(("http body", b)) }
        }
        switch task.body {
        case .sql(let q): out.append(("sql", q.sql))
        case .load(let l):
            switch l.source {
            case .http(let h, _, _, _): http(h)
            case .object(let o): out.append(("object key", o.key))
            case .query(let q): out.append(("query", q.sql))
            }
        case .export(let e):
            switch e.source {
            case .table(_, let w): if let w { out.append(("where", w)) }
            case .query(let q): out.append(("query", q.sql))
            }
            out.append(("object key", e.target.key))
        case .sensor(let s):
            switch s.condition {
            case .http(let h): http(h)
            case .objectKey(_, let k): out.append(("object key", k))
            case .objectPrefix(_, let k): out.append(("object prefix", k))
            case .sql(let q): out.append(("query", q.sql))
            case .pipeline: break
            }
        case .check(let rule, _):
            switch rule {
            case .compare(let l, let r, _): out += [("left", l.sql), ("right", r.sql)]
            case .query(let q): out.append(("query", q.sql))
            }
        case .notify(_, let m, let s):
            if let s { out.append(("subject", s)) }
            out.append(("message", m))
        }
        if let w = task.when { out.append(("when", w)) }
        return out
    }
}
