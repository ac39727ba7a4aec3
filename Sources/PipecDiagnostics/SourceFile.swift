/// The text of one input file, kept so diagnostics can quote the offending line.
public final class SourceFile: Sendable {
    public let path: String
    public let text: String
    /// The file's lines without their terminators; index 0 is line 1.
    public let lines: [Substring]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.last == "\r" ? line.dropLast() : line
        }
    }

    /// The 1-based `number`th line, if the file has it.
    public func line(_ number: Int) -> Substring? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }
}

/// Every source file read during one command, by path, so any diagnostic can be rendered with its source line.
public final class SourceFiles: @unchecked Sendable {
    private var files: [String: SourceFile] = [:]
    private let lock = NSLockLite()

    public init() {}

    public func add(_ file: SourceFile) {
        lock.withLock { files[file.path] = file }
    }

    public subscript(path: String) -> SourceFile? {
        lock.withLock { files[path] }
    }
}
