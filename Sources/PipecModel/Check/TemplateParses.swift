import Foundation
import PipecTemplate

/// Parses of templates read from files under templates/, shared by every unit that uses the same file (a for_each
/// family, or many tables built by one query file). Inline templates differ from unit to unit and are parsed where
/// they are checked, unless they were parsed while the spec was read (`TemplatePreparse`). Safe to use from the
/// checker's threads.
final class TemplateParses: @unchecked Sendable {
    private let lock = NSLock()
    private var byPath: [String: (text: String, parse: Result<Template, TemplateError>)] = [:]
    private let preparsed: TemplatePreparse?

    init(preparsed: TemplatePreparse?) {
        self.preparsed = preparsed
    }

    func parse(_ text: TemplateText, origin: TemplateOrigin) -> Result<Template, TemplateError> {
        guard let path = text.path else { return preparsed?.take(text.text, origin: origin) ?? Self.parse(text.text, origin: origin) }
        if let known = lock.withLock({ byPath[path] }), known.text == text.text { return known.parse }
        let parse = Self.parse(text.text, origin: origin)
        lock.withLock { byPath[path] = (text.text, parse) }
        return parse
    }

    private static func parse(_ source: String, origin: TemplateOrigin) -> Result<Template, TemplateError> {
        Result { () throws(TemplateError) -> Template in try Template.parse(source, origin: origin) }
    }
}
