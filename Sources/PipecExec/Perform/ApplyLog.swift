import Foundation

/// Where apply reports progress: plain timestamped lines (logs, CI), never the secrets the redactor knows.
public final class ApplyLog: @unchecked Sendable {
    private let lock = NSLock()
    private let write: @Sendable (String) -> Void
    private let redact: @Sendable (String) -> String

    public init(redact: @escaping @Sendable (String) -> String, write: @escaping @Sendable (String) -> Void) {
        self.redact = redact
        self.write = write
    }

    public func line(_ text: String) {
        let stamp = String(Instant.nowClock().prefix(19)).replacingOccurrences(of: "T", with: " ")
        let out = redact(text)
        lock.withLock { write("\(stamp)  \(out)") }
    }
}

import PipecSchedule

extension Instant {
    /// The current UTC time as ISO 8601, for log lines.
    static func nowClock() -> String { Instant.now().description }
}
