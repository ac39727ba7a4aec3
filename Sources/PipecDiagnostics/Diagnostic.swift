/// How serious a diagnostic is. Errors make a command fail; warnings do not (unless `--strict`).
public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: return 0
        case .warning: return 1
        case .note: return 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A secondary message attached to a diagnostic, optionally pointing somewhere else (e.g. each member of a cycle).
public struct DiagnosticNote: Sendable, Hashable, Codable {
    public var message: String
    public var location: SourceLocation?

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }
}

/// One problem found in an input, as data. Rendering is separate (see `DiagnosticRenderer`).
///
/// `code` is stable across releases (`E101`, `W701`, ...): tools and tests may key on it; messages may be reworded.
public struct Diagnostic: Sendable, Hashable, Codable, Error {
    public var severity: Severity
    public var code: String
    public var message: String
    public var location: SourceLocation?
    /// The file a diagnostic without a location is about ("no such file"), so it is still named.
    public var file: String?
    public var notes: [DiagnosticNote]
    public var help: String?

    public init(_ severity: Severity, _ code: String, _ message: String, at location: SourceLocation?,
                notes: [DiagnosticNote] = [], help: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.notes = notes
        self.help = help
    }

    public static func error(_ code: String, _ message: String, at location: SourceLocation?,
                             notes: [DiagnosticNote] = [], help: String? = nil) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, notes: notes, help: help)
    }

    /// An error about a whole file that has no position in it (it does not exist, it is a folder).
    public static func error(_ code: String, _ message: String, file: String, help: String? = nil) -> Diagnostic {
        var d = Diagnostic(.error, code, message, at: nil, help: help)
        d.file = file
        return d
    }

    public static func warning(_ code: String, _ message: String, at location: SourceLocation?,
                               notes: [DiagnosticNote] = [], help: String? = nil) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, notes: notes, help: help)
    }
}

/// An ordered collection of diagnostics that a stage appends to instead of stopping at the first problem.
public struct Diagnostics: Sendable, Sequence {
    public private(set) var all: [Diagnostic] = []

    public init(_ diagnostics: [Diagnostic] = []) { all = diagnostics }

    public mutating func append(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    public mutating func append(contentsOf other: some Sequence<Diagnostic>) { all.append(contentsOf: other) }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    public var errorCount: Int { all.filter { $0.severity == .error }.count }
    public var warningCount: Int { all.filter { $0.severity == .warning }.count }
    public var isEmpty: Bool { all.isEmpty }
    public var count: Int { all.count }

    public func makeIterator() -> IndexingIterator<[Diagnostic]> { all.makeIterator() }

    /// Diagnostics in reading order: by file, line, column; ones without a location last. Stable for equal places.
    public func sorted() -> [Diagnostic] {
        all.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case let (la?, lb?):
                if la == lb || (la.file == lb.file && la.line == lb.line && la.column == lb.column) {
                    return a.offset < b.offset
                }
                return SourceLocation.precedes(la, lb)
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return false
            case (_, nil): return true
            }
        }.map(\.element)
    }

    /// Turns every warning into an error (`--strict`).
    public func escalatingWarnings() -> Diagnostics {
        Diagnostics(all.map { d in
            var d = d
            if d.severity == .warning { d.severity = .error }
            return d
        })
    }
}
