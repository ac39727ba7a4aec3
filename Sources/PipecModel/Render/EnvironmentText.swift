import PipecDiagnostics

/// `${env:NAME}` / `${env:NAME:-default}` inside text rendered from a template (task fields, SQL, params).
///
/// SPEC.md lets any string hold such a reference. Resource settings are `ConfigValue`s; everything rendered from
/// a template is filled here, once the template has been rendered, when an environment is given (apply, or
/// `--resolve`). Only well-formed references are replaced: other `${...}` text (a shell snippet in SQL) stays.
public enum EnvironmentText {
    /// The text with every reference filled, or the name of the first variable that is unset with no default.
    public static func resolve(_ text: String, environment: [String: String]) -> Result<String, UnsetVariable> {
        guard text.contains("${env:") else { return .success(text) }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${env:") {
            out += rest[..<start.lowerBound]
            let body = rest[start.upperBound...]
            guard let close = body.firstIndex(of: "}") else { break }
            let inner = body[..<close]
            let name: Substring
            var fallback: Substring?
            if let sep = inner.range(of: ":-") {
                name = inner[..<sep.lowerBound]
                fallback = inner[sep.upperBound...]
            } else {
                name = inner
            }
            guard NamePatterns.isEnvName(String(name)) else {
                out += rest[start.lowerBound..<body.index(after: close)]
                rest = body[body.index(after: close)...]
                continue
            }
            if let value = environment[String(name)] {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                return .failure(UnsetVariable(name: String(name)))
            }
            rest = body[body.index(after: close)...]
        }
        out += rest
        return .success(out)
    }

    /// Every well-formed reference's variable name in `text`, in order.
    public static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${env:") {
            let body = rest[start.upperBound...]
            guard let close = body.firstIndex(of: "}") else { break }
            let inner = body[..<close]
            let name = inner.range(of: ":-").map { inner[..<$0.lowerBound] } ?? inner
            if NamePatterns.isEnvName(String(name)) { names.append(String(name)) }
            rest = body[body.index(after: close)...]
        }
        return names
    }

    /// E112 for a variable a template-rendered value needs: at the reference when the value is written on one line
    /// of the spec, else at the value.
    public static func unsetDiagnostic(_ unset: UnsetVariable, in text: TemplateText, owner: String) -> Diagnostic {
        var location = text.location
        if text.path == nil, let range = text.text.range(of: "${env:\(unset.name)"), !text.text[..<range.lowerBound].contains("\n"),
           text.origin.line == text.location.line {
            let offset = text.text.distance(from: text.text.startIndex, to: range.lowerBound)
            let length = text.text[range.lowerBound...].firstIndex(of: "}").map { text.text.distance(from: range.lowerBound, to: $0) + 1 } ?? 1
            location = SourceLocation(file: text.origin.file, line: text.origin.line, column: text.origin.column + offset, length: length)
        }
        return .error("E112", "environment variable \(unset.name) is not set, and its reference in \(owner) has no default", at: location,
                      help: "export \(unset.name)=... or give a default: ${env:\(unset.name):-value}")
    }
}

extension EnvironmentText {
    /// E112 for every param (from `params:` or `--param`) whose `${env:...}` references cannot be filled from
    /// `environment`: params are resolved when the plan is compiled with the environment, so each must resolve.
    public static func unsetParams(_ pipeline: Pipeline, overrides: [String: ParamValue], environment: [String: String]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func scalars(_ value: ParamValue) -> [String] {
            switch value {
            case .null: return []
            case .scalar(let text, _): return [text]
            case .list(let items): return items.flatMap(scalars)
            case .mapping(let entries): return entries.flatMap { scalars($0.value) }
            }
        }
        func check(_ key: String, _ value: ParamValue, at location: SourceLocation?) {
            for text in scalars(value) {
                if case .failure(let unset) = resolve(text, environment: environment) {
                    out.append(.error("E112", "environment variable \(unset.name) is not set, and param '\(key)' has no default for it", at: location,
                                      help: "export \(unset.name)=... or give a default: ${env:\(unset.name):-value}"))
                    return
                }
            }
        }
        for entry in pipeline.params where overrides[entry.key] == nil { check(entry.key, entry.value, at: entry.location) }
        for key in overrides.keys.sorted() { check(key, overrides[key]!, at: nil) }
        return out
    }
}

/// A `${env:NAME}` reference whose variable is unset and that has no default.
public struct UnsetVariable: Error, Sendable, Hashable {
    public var name: String

    public init(name: String) {
        self.name = name
    }
}
