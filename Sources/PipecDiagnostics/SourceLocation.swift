/// A place in a source file, as a person reads it.
///
/// `line` and `column` are 1-based; `column` and `length` count Unicode scalars (what an editor's cursor counts),
/// not bytes. `length` is the number of characters to underline (at least 1 when rendered).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var length: Int

    public init(file: String, line: Int, column: Int, length: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
        self.length = length
    }

    /// `file:line:column`, the prefix every diagnostic line starts with.
    public var description: String { "\(file):\(line):\(column)" }

    /// The location `offset` characters further on the same line.
    public func advanced(by offset: Int, length: Int? = nil) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column + offset, length: length ?? self.length)
    }

    /// Orders by file, then line, then column: the order diagnostics are printed in.
    public static func precedes(_ a: SourceLocation, _ b: SourceLocation) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.line != b.line { return a.line < b.line }
        return a.column < b.column
    }
}
