import Foundation
import PipecDiagnostics
import PipecSchedule
import PipecSyntax

/// Reads the (structurally checked) syntax tree into the typed model.
///
/// It is tolerant: whatever the schema check already reported is skipped quietly, so one mistake gives one
/// diagnostic. Values whose syntax only this stage understands (durations, timestamps, cron, time zones,
/// environment references, template paths) are parsed and diagnosed here.
struct ModelBuilder {
    let file: String
    let projectRoot: String
    let readFile: (String) -> String?
    var diagnostics: [Diagnostic] = []

    init(file: String, projectRoot: String, readFile: @escaping (String) -> String?) {
        self.file = file
        self.projectRoot = projectRoot
        self.readFile = readFile
    }

    // MARK: scalars

    func text(_ node: Node?) -> String? { node?.text }

    func located(_ node: Node?) -> Located<String>? {
        guard let node, let t = node.text else { return nil }
        return Located(t, at: node.location)
    }

    func bool(_ node: Node?) -> Bool? {
        guard let t = node?.text else { return nil }
        switch t {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    func int(_ node: Node?) -> Int? {
        guard let s = node?.scalar, s.style == .plain else { return nil }
        return Int(s.text)
    }

    /// A string or a list of strings, as located names.
    func names(_ node: Node?) -> [Located<String>] {
        guard let node else { return [] }
        if let items = node.items { return items.compactMap(located) }
        return located(node).map { [$0] } ?? []
    }

    func location(_ node: Node?, or fallback: SourceLocation) -> SourceLocation { node?.location ?? fallback }

    /// The position of character `offset` of a scalar's text, when the scalar is on one line.
    func place(in node: Node, offset: Int, length: Int) -> SourceLocation {
        guard let s = node.scalar, !s.text.prefix(offset).contains("\n"), s.style != .literal, s.style != .folded else {
            return node.location
        }
        return SourceLocation(file: file, line: s.contentLine, column: s.contentColumn + offset, length: max(1, length))
    }

    mutating func duration(_ node: Node?, field: String) -> Int64? {
        guard let node, let t = node.text else { return nil }
        switch SpecDuration.parse(t) {
        case .success(let d): return d.milliseconds
        case .failure(let e):
            diagnostics.append(.error("E402", "\(e.message) (in '\(field)')", at: place(in: node, offset: e.column, length: e.length),
                                      help: "durations look like 500ms, 30s, 5m, 2h or 1d"))
            return nil
        }
    }

    mutating func timestamp(_ node: Node?, field: String, zone: Zone) -> Instant? {
        guard let node, let t = node.text else { return nil }
        switch Timestamp.parse(t, zone: zone) {
        case .success(let i): return i
        case .failure(let e):
            diagnostics.append(.error("E403", "\(e.message) (in '\(field)')", at: place(in: node, offset: e.column, length: e.length),
                                      help: "timestamps are ISO 8601: 2025-01-01 or 2025-01-01T03:00:00Z"))
            return nil
        }
    }

    /// A setting that may reference the environment; `secret` marks keys whose values are redacted everywhere.
    mutating func config(_ node: Node?, key: String, secret: Bool, owner: String = "") -> ConfigValue? {
        guard let node, let s = node.scalar, !s.isNull else { return nil }
        let single = s.style != .literal && s.style != .folded
        let (segments, problems) = EnvReferences.parse(s.text, location: node.location, contentColumn: single ? s.contentColumn : nil)
        diagnostics.append(contentsOf: problems)
        let embedsPassword = Self.hasUserInfo(s.text) || Self.conninfoPassword(s.text) != nil
        let value = ConfigValue(raw: s.text, segments: segments, isSecret: secret || embedsPassword, location: node.location)
        if (secret || embedsPassword) && !s.text.isEmpty && problems.isEmpty && Self.holdsLiteralSecret(value) {
            diagnostics.append(.warning("W701", "the secret '\(key)'\(owner.isEmpty ? "" : " of '\(owner)'") is written literally in the spec", at: node.location,
                                        help: "reference the environment instead, e.g. ${env:\(Self.suggestedEnvName(owner.isEmpty ? key : owner + "_" + key))}"))
        }
        return value
    }

    /// A URL whose userinfo carries a password (`scheme://user:pass@host`).
    static func hasUserInfo(_ text: String) -> Bool {
        guard let scheme = text.range(of: "://") else { return false }
        let rest = text[scheme.upperBound...]
        guard let at = rest.firstIndex(of: "@") else { return false }
        let userinfo = rest[..<at]
        return !userinfo.contains("/") && userinfo.contains(":")
    }

    /// The value of `password=` in a libpq keyword/value connection string (`host=h password=x dbname=d`).
    static func conninfoPassword(_ text: String) -> String? {
        guard !text.contains("://") else { return nil }
        for word in text.split(separator: " ") where word.hasPrefix("password=") {
            return String(word.dropFirst("password=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        return nil
    }

    /// True when some part of the value that should be secret is literal text rather than an env reference.
    static func holdsLiteralSecret(_ value: ConfigValue) -> Bool {
        if let password = conninfoPassword(value.raw) { return !password.isEmpty && !password.contains("${env:") }
        if hasUserInfo(value.raw) {
            // Only the password part of the userinfo matters.
            guard let scheme = value.raw.range(of: "://"), let at = value.raw[scheme.upperBound...].firstIndex(of: "@") else { return false }
            let userinfo = value.raw[scheme.upperBound..<at]
            let password = userinfo.split(separator: ":", maxSplits: 1).last ?? ""
            return !password.isEmpty && !password.contains("${env:")
        }
        // Header values like "OAuth ${env:TOKEN}" carry a scheme word and a reference: fine.
        return !value.referencesEnvironment
    }

    static func suggestedEnvName(_ key: String) -> String {
        key.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.reduce(into: "") { $0.append($1) }
    }

    /// SQL or another template: inline text, or a path under templates/ when it ends in `.sql` and has no whitespace.
    mutating func template(_ node: Node?, allowPath: Bool = true) -> TemplateText? {
        guard let node, let s = node.scalar, !s.isNull else { return nil }
        if allowPath, let trimmed = Self.templatePath(s.text) {
            let relative = trimmed.hasPrefix("templates/") ? trimmed : "templates/" + trimmed
            let path = Paths.normalize(Paths.join(projectRoot, relative))
            guard let contents = readFile(path) else {
                let folder = (path as NSString).deletingLastPathComponent
                let siblings = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                let wanted = (path as NSString).lastPathComponent
                let help = DidYouMean.suggest(wanted, from: siblings).map { "did you mean '\($0)'?" }
                    ?? "SQL files live under \(projectRoot == "." ? "" : projectRoot + "/")templates/"
                diagnostics.append(.error("E111", "template file '\(path)' not found", at: node.location, help: help))
                return nil
            }
            return TemplateText(text: contents, path: path, origin: TextOrigin(file: path, line: 1, column: 1, indent: 0), location: node.location)
        }
        let origin = TextOrigin(file: file, line: s.contentLine, column: s.contentColumn, indent: s.contentIndent)
        return TemplateText(text: s.text, path: nil, origin: origin, location: node.location)
    }

    /// The text as a path when it names a `.sql` file: no whitespace inside, `.sql` at the end. Byte-level, and
    /// it stops at the first inner space, as it runs on every SQL text of large specs.
    static func templatePath(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
            var start = 0, end = bytes.count
            while start < end, isSpace(bytes[start]) { start += 1 }
            while end > start, isSpace(bytes[end - 1]) { end -= 1 }
            guard end - start >= 4, !bytes[start..<end].contains(where: isSpace) else { return nil }
            // Only text ending in the bytes of ".sql" can end in those characters.
            guard bytes[end - 4] == UInt8(ascii: "."), bytes[end - 3] == UInt8(ascii: "s"), bytes[end - 2] == UInt8(ascii: "q"),
                  bytes[end - 1] == UInt8(ascii: "l") else { return nil }
            let path = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            return path.hasSuffix(".sql") ? path : nil
        }
    }

    mutating func keyedTemplates(_ node: Node?) -> [KeyedTemplate] {
        node?.entries?.compactMap { e in
            guard let k = e.key.text, let v = template(e.value, allowPath: false) else { return nil }
            return KeyedTemplate(key: k, value: v)
        } ?? []
    }
}
