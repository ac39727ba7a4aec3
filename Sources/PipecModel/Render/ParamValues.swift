import PipecDiagnostics
import PipecTemplate

extension ParamValue {
    /// The value a template sees. `params:` have no schema, so plain scalars (and `--param` values) are typed by
    /// YAML 1.2's core rules (`YAMLCoreScalar`); quoted scalars and everything else are strings, so `country: NO`
    /// stays the string 'NO'.
    public var templateValue: TemplateValue { templateValue(environment: nil) }

    /// The value with `${env:...}` references in strings resolved from `environment` (left as written when nil
    /// or when a variable is unset with no default).
    public func templateValue(environment: [String: String]?) -> TemplateValue {
        switch self {
        case .null: return .none
        case .scalar(var text, let quoted):
            if let environment, text.contains("${env:") {
                let (segments, problems) = EnvReferences.parse(text, location: SourceLocation(file: "", line: 0, column: 0), contentColumn: nil)
                if problems.isEmpty, case .success(let resolved) = ConfigValue(raw: text, segments: segments, isSecret: false,
                                                                                 location: SourceLocation(file: "", line: 0, column: 0)).resolve(environment) {
                    text = resolved
                }
            }
            if quoted { return .string(text) }
            return YAMLCoreScalar.value(of: text)
        case .list(let items): return .list(items.map { $0.templateValue(environment: environment) })
        case .mapping(let entries): return .dict(entries.map { ($0.key, $0.value.templateValue(environment: environment)) })
        }
    }

    /// Parses a `--param k=v` value the way a plain YAML scalar would be read.
    public static func commandLine(_ text: String) -> ParamValue { .scalar(text, quoted: false) }
}

extension ForEachItem {
    /// `item` in templates: `item.key` and each value by name.
    public var templateValue: TemplateValue {
        .object("item", [("key", .string(key))] + values.map { ($0.0, $0.1.templateValue) })
    }
}
