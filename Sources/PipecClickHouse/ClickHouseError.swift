/// An error ClickHouse reported: its `Code: N` number and message, parsed from the body (the HTTP status says
/// little: 18.16 answers 500 for most errors, and an error after rows were streamed arrives with 200).
public struct ClickHouseError: Error, Sendable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var httpStatus: Int

    public var description: String { "ClickHouse error \(code): \(message)" }

    /// Parses `Code: 62, e.displayText() = DB::Exception: msg, e.what() = DB::Exception` (18.x) or
    /// `Code: 62. DB::Exception: msg. (SYNTAX_ERROR) (version 24.3.1)` (current releases); nil when `text` is not one.
    public static func parse(_ text: String, httpStatus: Int) -> ClickHouseError? {
        guard let range = text.range(of: "Code: ") else { return nil }
        let afterCode = text[range.upperBound...]
        let digits = afterCode.prefix { $0.isNumber }
        guard let code = Int(digits), let separator = afterCode.dropFirst(digits.count).first, separator == "." || separator == "," else {
            return nil
        }
        var message = String(afterCode.dropFirst(digits.count + 1)).trimmingCharacters(in: .whitespacesAndNewlines)
        for prefix in ["e.displayText() = ", "DB::Exception: "] where message.hasPrefix(prefix) {
            message.removeFirst(prefix.count)
        }
        if message.hasPrefix("DB::Exception: ") { message.removeFirst("DB::Exception: ".count) }
        if let what = message.range(of: ", e.what() = ", options: .backwards) { message = String(message[..<what.lowerBound]) }
        if let version = message.range(of: " (version ", options: .backwards) { message = String(message[..<version.lowerBound]) }
        if message.hasSuffix(")"), let open = message.range(of: ". (", options: .backwards),
           message[open.upperBound...].dropLast().allSatisfy({ $0.isUppercase || $0 == "_" || $0.isNumber }) {
            message = String(message[..<open.lowerBound]) + "."
        }
        return ClickHouseError(code: code, message: message.trimmingCharacters(in: .whitespacesAndNewlines), httpStatus: httpStatus)
    }

    /// ClickHouse's own codes for a query that was killed or ran out of time.
    public var isCancellation: Bool { code == 394 || code == 159 }
}
