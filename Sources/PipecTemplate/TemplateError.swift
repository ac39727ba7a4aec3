import PipecDiagnostics

/// A template problem found while parsing or rendering. The diagnostic's location is already in file coordinates.
///
/// Messages name types, variable names and template-source text only, never a runtime value: secrets
/// (`env('TOKEN')`, connection strings) flow through templates and must not reach logs via an error.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public var diagnostic: Diagnostic

    public init(_ diagnostic: Diagnostic) {
        self.diagnostic = diagnostic
    }

    public var description: String {
        let place = diagnostic.location.map { "\($0): " } ?? ""
        return "\(place)\(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.code)]"
    }
}

/// Thrown by a `NativeFunction` body; the engine adds the call's location and the code E507.
public struct TemplateFunctionError: Error, Sendable {
    public var message: String
    public var help: String?

    public init(_ message: String, help: String? = nil) {
        self.message = message
        self.help = help
    }
}

/// The stable diagnostic codes of the template engine.
public enum TemplateErrorCode {
    /// Syntax error: unexpected token, unclosed block, unknown tag, malformed literal.
    public static let syntax = "E501"
    /// An undefined variable, attribute or key was used (StrictUndefined).
    public static let undefined = "E502"
    /// `x | f` with no filter named `f`.
    public static let unknownFilter = "E503"
    /// `x is t` with no test named `t`.
    public static let unknownTest = "E504"
    /// Wrong number of arguments, an unknown keyword argument, or a missing required one.
    public static let arguments = "E505"
    /// An operation applied to a value of the wrong type.
    public static let type = "E506"
    /// A native function (from the model layer or a macro such as `macros.ds_add`) reported an error.
    public static let function = "E507"
    /// `{% include %}`: the template was not found, no loader is configured, or includes recurse.
    public static let include = "E508"
    /// A value of the right type that an operation cannot use: division by zero, a date that does not parse,
    /// an unknown time zone, a value that has no SQL literal form, integer overflow.
    public static let value = "E509"
    /// A guard against runaway templates fired: macro/include depth, output size, loop iterations, range size.
    public static let limit = "E510"
}

/// An error raised below the evaluator (filters, operators, methods) before it knows where it happened;
/// the evaluator attaches the span of the expression being evaluated.
struct EvalFailure: Error {
    var code: String
    var message: String
    var help: String?

    init(_ code: String, _ message: String, help: String? = nil) {
        self.code = code
        self.message = message
        self.help = help
    }

    static func type(_ message: String, help: String? = nil) -> EvalFailure { EvalFailure(TemplateErrorCode.type, message, help: help) }
    static func value(_ message: String, help: String? = nil) -> EvalFailure { EvalFailure(TemplateErrorCode.value, message, help: help) }
    static func arguments(_ message: String, help: String? = nil) -> EvalFailure { EvalFailure(TemplateErrorCode.arguments, message, help: help) }
    static func undefined(_ message: String, help: String? = nil) -> EvalFailure { EvalFailure(TemplateErrorCode.undefined, message, help: help) }

    func located(_ span: Span, in origin: TemplateOrigin) -> TemplateError {
        TemplateError(.error(code, message, at: origin.location(span), help: help))
    }
}
