/// Turns diagnostics into text for a terminal (with the quoted source line and an underline) or into JSON.
public struct DiagnosticRenderer: Sendable {
    public var sources: SourceFiles
    public var color: Bool

    public init(sources: SourceFiles, color: Bool = false) {
        self.sources = sources
        self.color = color
    }

    /// The human form:
    ///
    ///     specs/x.yaml:4:5: error: unknown key 'retires' in task 'load' [E102]
    ///        |
    ///      4 |     retires: 3
    ///        |     ^^^^^^^
    ///        = help: did you mean 'retries'?
    public func render(_ diagnostic: Diagnostic) -> String {
        var out = ""
        let label = style(diagnostic.severity.rawValue, diagnostic.severity == .error ? "1;31" : diagnostic.severity == .warning ? "1;33" : "1;36")
        if let location = diagnostic.location {
            out += style("\(location):", "1") + " "
        } else if let file = diagnostic.file {
            out += style("\(file):", "1") + " "
        }
        out += "\(label): \(style(diagnostic.message, "1")) [\(diagnostic.code)]\n"
        if let location = diagnostic.location {
            out += snippet(location)
        }
        for note in diagnostic.notes {
            if let location = note.location {
                out += "\(style("\(location):", "1")) \(style("note", "1;36")): \(note.message)\n"
                out += snippet(location)
            } else {
                out += "   = note: \(note.message)\n"
            }
        }
        if let help = diagnostic.help {
            out += "   = \(style("help", "1;36")): \(help)\n"
        }
        return out
    }

    /// Every diagnostic in reading order, each followed by a blank line.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { render($0) + "\n" }.joined()
    }

    private func snippet(_ location: SourceLocation) -> String {
        guard let file = sources[location.file], let raw = file.line(location.line) else { return "" }
        let number = String(location.line)
        let gutter = String(repeating: " ", count: max(number.count, 3))
        let secrets = sources.maskedTexts
        let (line, maskedColumn, maskedLength) = secrets.contains(where: { raw.contains($0) })
            ? Self.masking(raw, column: max(1, location.column), length: location.length, secrets: secrets)
            : (String(raw), max(1, location.column), location.length)
        var column = maskedColumn
        // Very long lines (minified JSON, a bracket bomb, a 50 MB key) are shown as a window around the column, cut
        // before anything else touches the line so the work stays proportional to the window.
        let maxWidth = 120
        let scalars = line.unicodeScalars
        let total = line.utf8.count > maxWidth ? scalars.count : 0
        var text: String
        if total > maxWidth {
            let start = max(0, min(column - 1 - maxWidth / 2, total - maxWidth))
            let from = scalars.index(scalars.startIndex, offsetBy: start)
            let to = scalars.index(from, offsetBy: maxWidth)
            text = Substring(scalars[from..<to]).replacingTabs()
            if start > 0 { text = "..." + text }
            if start + maxWidth < total { text += "..." }
            column = column - start + (start > 0 ? 3 : 0)
        } else {
            text = Substring(line).replacingTabs()
        }
        let available = max(1, text.unicodeScalars.count - (column - 1))
        let width = max(1, min(maskedLength, available))
        let padding = String(repeating: " ", count: column - 1)
        let marker = String(repeating: "^", count: width)
        var out = "\(gutter) \(style("|", "1;34"))\n"
        out += "\(String(repeating: " ", count: gutter.count - number.count))\(style(number, "1;34")) \(style("|", "1;34")) \(text)\n"
        out += "\(gutter) \(style("|", "1;34")) \(padding)\(style(marker, "1;31"))\n"
        return out
    }

    /// `line` with every secret replaced by `***`, and the caret's column and length moved to match.
    static func masking(_ line: Substring, column: Int, length: Int, secrets: [String]) -> (String, Int, Int) {
        var text = String(line), column = column, length = length
        for secret in secrets where text.contains(secret) {
            var out = "", rest = Substring(text), position = 1
            let shrink = secret.count - 3
            while let r = rest.firstRange(of: secret) {
                let before = rest[..<r.lowerBound]
                out += before
                position += before.count
                if position + secret.count <= column {
                    column -= shrink
                } else if position < column + length {
                    length = max(1, length - shrink)
                }
                out += "***"
                position += 3
                rest = rest[r.upperBound...]
            }
            text = out + rest
        }
        return (text, column, length)
    }

    private func style(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// The machine form: `{"diagnostics": [...], "errors": N, "warnings": N}`.
    public static func json(_ diagnostics: [Diagnostic]) -> JSONValue {
        .object([
            ("diagnostics", .array(diagnostics.map(json))),
            ("errors", .int(diagnostics.filter { $0.severity == .error }.count)),
            ("warnings", .int(diagnostics.filter { $0.severity == .warning }.count)),
        ])
    }

    public static func json(_ d: Diagnostic) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("severity", .string(d.severity.rawValue)),
            ("code", .string(d.code)),
            ("message", .string(d.message)),
        ]
        fields.append(contentsOf: d.location == nil && d.file != nil
                      ? [("file", .string(d.file!)), ("line", .null), ("column", .null)] : locationFields(d.location))
        fields.append(("notes", .array(d.notes.map { note in
            .object([("message", .string(note.message))] + locationFields(note.location))
        })))
        fields.append(("help", d.help.map(JSONValue.string) ?? .null))
        return .object(fields)
    }

    private static func locationFields(_ location: SourceLocation?) -> [(String, JSONValue)] {
        guard let l = location else { return [("file", .null), ("line", .null), ("column", .null)] }
        return [("file", .string(l.file)), ("line", .int(l.line)), ("column", .int(l.column)), ("length", .int(l.length))]
    }
}

extension Substring {
    /// Tabs become single spaces so the caret lines up with the quoted text (columns count characters).
    func replacingTabs() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\t" ? " " : $0 }))
    }
}
