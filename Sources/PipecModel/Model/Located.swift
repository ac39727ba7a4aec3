import PipecDiagnostics

/// A value with the place it was written. Equality ignores the place, so specs can be compared across versions.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    public static func == (a: Located, b: Located) -> Bool { a.value == b.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// Where a piece of text (SQL, a key template) starts in its file, so errors inside it point at the right place.
public struct TextOrigin: Sendable, Hashable {
    public var file: String
    /// 1-based line and column of the text's first character.
    public var line: Int
    public var column: Int
    /// Columns to add to every line after the first (a YAML block scalar's indentation); 0 for whole files.
    public var indent: Int

    public init(file: String, line: Int, column: Int, indent: Int) {
        self.file = file
        self.line = line
        self.column = column
        self.indent = indent
    }
}

/// A templated text: inline in the spec or read from a file under templates/.
public struct TemplateText: Sendable, Hashable {
    public var text: String
    /// The path as written when the text came from a file (`templates/silver/x.sql`), else nil.
    public var path: String?
    public var origin: TextOrigin
    /// The spec value that holds the text or the path.
    public var location: SourceLocation

    public init(text: String, path: String?, origin: TextOrigin, location: SourceLocation) {
        self.text = text
        self.path = path
        self.origin = origin
        self.location = location
    }

    public static func == (a: TemplateText, b: TemplateText) -> Bool { a.text == b.text && a.path == b.path }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
