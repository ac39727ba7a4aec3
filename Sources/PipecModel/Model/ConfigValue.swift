import PipecDiagnostics

/// A string from the spec that may reference the environment: `${env:NAME}` or `${env:NAME:-default}`.
///
/// Values are resolved only when needed (apply, or compile with --resolve). Secret values print as `***`.
public struct ConfigValue: Sendable, Hashable {
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case env(name: String, defaultValue: String?)
    }

    public var raw: String
    public var segments: [Segment]
    public var isSecret: Bool
    public var location: SourceLocation

    public init(raw: String, segments: [Segment], isSecret: Bool, location: SourceLocation) {
        self.raw = raw
        self.segments = segments
        self.isSecret = isSecret
        self.location = location
    }

    public static func == (a: ConfigValue, b: ConfigValue) -> Bool { a.raw == b.raw && a.isSecret == b.isSecret }
    public func hash(into hasher: inout Hasher) { hasher.combine(raw) }

    /// True when the value names at least one environment variable (so it is not a literal).
    public var referencesEnvironment: Bool {
        segments.contains { if case .env = $0 { return true } else { return false } }
    }

    public var environmentNames: [String] {
        segments.compactMap { if case .env(let n, _) = $0 { return n } else { return nil } }
    }

    /// How the value is shown in plans and logs: the spec's own text, or `***` for secrets that hold anything.
    public var display: String {
        isSecret && !raw.isEmpty ? "***" : raw
    }

    /// The value with every reference replaced, or the name of the first variable that is unset with no default.
    public func resolve(_ environment: [String: String]) -> Result<String, MissingEnvironment> {
        var out = ""
        for segment in segments {
            switch segment {
            case .literal(let s): out += s
            case .env(let name, let fallback):
                if let v = environment[name] {
                    out += v
                } else if let fallback {
                    out += fallback
                } else {
                    return .failure(MissingEnvironment(name: name, location: location))
                }
            }
        }
        return .success(out)
    }
}

public struct MissingEnvironment: Error, Sendable, Hashable {
    public var name: String
    public var location: SourceLocation
}
