import PipecDiagnostics

/// Where a template's text sits inside a file, so every diagnostic can be reported in file coordinates.
///
/// A template may be a whole `.sql` file (`.file(path)`) or a string embedded in a spec, e.g. a YAML block scalar
/// whose lines after the first are indented by `indent` columns that are not part of the template text.
public struct TemplateOrigin: Sendable, Hashable {
    /// Path shown in diagnostics.
    public var file: String
    /// 1-based file line of the template's first character.
    public var line: Int
    /// 1-based file column (Unicode scalars) of the template's first character.
    public var column: Int
    /// Columns to add for template lines after the first (YAML block scalar indentation); 0 for `.sql` files.
    public var indent: Int

    public init(file: String, line: Int, column: Int, indent: Int) {
        self.file = file
        self.line = line
        self.column = column
        self.indent = indent
    }

    /// A template that is a whole file: line 1, column 1, no indentation.
    public static func file(_ path: String) -> TemplateOrigin {
        TemplateOrigin(file: path, line: 1, column: 1, indent: 0)
    }

    /// The file location of a place given in template coordinates (1-based line and column, columns in scalars).
    public func location(line templateLine: Int, column templateColumn: Int, length: Int = 1) -> SourceLocation {
        let fileColumn = templateLine == 1 ? column + templateColumn - 1 : indent + templateColumn
        return SourceLocation(file: file, line: line + templateLine - 1, column: fileColumn, length: max(1, length))
    }

    func location(_ span: Span) -> SourceLocation {
        location(line: Int(span.line), column: Int(span.column), length: Int(span.length))
    }
}

/// A place in template coordinates: 1-based line and column, length in Unicode scalars.
/// Kept small because every AST node carries one.
struct Span: Sendable, Hashable {
    var line: Int32
    var column: Int32
    var length: Int32

    init(line: Int, column: Int, length: Int) {
        self.line = Int32(truncatingIfNeeded: line)
        self.column = Int32(truncatingIfNeeded: column)
        self.length = Int32(truncatingIfNeeded: max(1, length))
    }

    /// From the start of `self` to the end of `other` when both sit on one line; otherwise `self`.
    func through(_ other: Span) -> Span {
        guard other.line == line, other.column >= column else { return self }
        return Span(line: Int(line), column: Int(column), length: Int(other.column + other.length - column))
    }
}
