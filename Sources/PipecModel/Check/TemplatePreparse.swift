import Foundation
import PipecSyntax
import PipecTemplate

/// Parses the inline templates of a spec while its YAML is still being read, in the time the tree builder would
/// spend waiting for libyaml (see `ParseSideWork`); the template checks then find them parsed. What is left when
/// the tree is done is parsed by the checks as usual.
final class TemplatePreparse: ParseSideWork, @unchecked Sendable {
    private struct Noted {
        let text: String
        let origin: TemplateOrigin
    }

    private let file: String
    /// Scalars that may hold templates, in the order read, and how many were parsed: the builder's thread alone
    /// touches these.
    private var noted: [Noted] = []
    private var next = 0
    private let lock = NSLock()
    /// Parses by where their text starts in the spec (the key of an inline template: see `ModelBuilder.template`).
    private var parsed: [TemplateOrigin: (text: String, result: Result<Template, TemplateError>)] = [:]

    init(file: String) {
        self.file = file
    }

    /// Template syntax starts with `{`: text without one renders as itself and needs no parse worth saving.
    let scalarMarker = UInt8(ascii: "{")

    func noteScalar(_ scalar: Scalar) {
        noted.append(Noted(text: scalar.text, origin: TemplateOrigin(file: file, line: scalar.contentLine, column: scalar.contentColumn,
                                                                     indent: scalar.contentIndent)))
    }

    func step() -> Bool {
        guard next < noted.count else { return false }
        let item = noted[next]
        next += 1
        let result = Result { () throws(TemplateError) -> Template in try Template.parse(item.text, origin: item.origin) }
        lock.withLock { parsed[item.origin] = (item.text, result) }
        return true
    }

    /// The parse of `text` written at `origin`, if it was done. It is handed over, not kept: the checks drop each
    /// parse once checked, on whichever thread checked it, rather than all of them at the end on one.
    func take(_ text: String, origin: TemplateOrigin) -> Result<Template, TemplateError>? {
        lock.withLock {
            guard let found = parsed[origin], found.text == text else { return nil }
            parsed[origin] = nil
            return found.result
        }
    }
}
