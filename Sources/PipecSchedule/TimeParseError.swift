/// Why a duration, timestamp or cron expression did not parse, and where.
///
/// `column` is the 0-based offset, in Unicode scalars (what `SourceLocation` counts), of the offending text inside
/// the string that was parsed; `length` is how many scalars to underline (at least 1). A caller that knows where
/// the string sits in a spec adds `column` to the string's own location.
public struct TimeParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var column: Int
    public var length: Int

    public init(message: String, column: Int = 0, length: Int = 1) {
        self.message = message
        self.column = column
        self.length = max(1, length)
    }

    public var description: String { message }
}
