import PipecModel

/// How spec settings appear in a plan: the spec's text with `${env:...}` references, resolved only under
/// `--resolve`, and secrets always `***`.
struct ConfigDisplay: Sendable {
    /// The environment to resolve references from; nil keeps them as written.
    let environment: [String: String]?
    let redactor: Redactor

    func show(_ value: ConfigValue?) -> String {
        guard let value else { return "" }
        if value.isSecret { return value.display }
        if let environment, case .success(let resolved) = value.resolve(environment) { return redactor.redact(resolved) }
        return value.raw
    }

    /// A resource with its settings sorted by key (the spec's mapping order is not kept in the model).
    func resource(_ r: Resource) -> PlanResource {
        var settings = r.settings.keys.map { KeyValue($0, show(r.settings[$0])) }
        if !r.recipients.isEmpty { settings.append(KeyValue("to", r.recipients.map(show).joined(separator: ", "))) }
        settings.sort { $0.key < $1.key }
        return PlanResource(name: r.name.value, kind: r.kind, dialect: r.dialect, settings: settings,
                            headers: r.headers.map { KeyValue($0.0, "***") })
    }

    /// Where an object resource keeps its objects: the bucket of an s3 resource, the root of a file resource.
    func container(_ r: Resource?) -> String {
        guard let r else { return "" }
        return show(r.kind == .file ? r["root"] : r["bucket"])
    }
}
