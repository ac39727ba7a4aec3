import Foundation

/// Where apply reports progress: plain timestamped lines (logs, CI), never the secrets the redactor knows. On a
/// terminal (`progressBar`), a bar of units done below the lines, redrawn as units finish, followed by how far the
/// loads under way have read.
public final class ApplyLog: @unchecked Sendable {
    private let lock = NSLock()
    private let write: @Sendable (String) -> Void
    /// Where every text of the apply is redacted (log lines, state rows, alerts).
    public let secrets: SecretBoundary
    private let progressBar: (@Sendable (String) -> Void)?
    private var done = 0
    private var total = 0
    private var runs = (done: 0, total: 0)
    /// Loads under way, by unit: how much each has read, as shown.
    private var loads: [String: String] = [:]

    /// `progressBar` writes raw text (no newline) to the terminal; nil for plain lines only.
    public init(redact: @escaping @Sendable (String) -> String, write: @escaping @Sendable (String) -> Void,
                progressBar: (@Sendable (String) -> Void)? = nil) {
        self.secrets = SecretBoundary(redact)
        self.write = write
        self.progressBar = progressBar
    }

    public func line(_ text: String) {
        let stamp = String(Instant.nowClock().prefix(19)).replacingOccurrences(of: "T", with: " ")
        let out = secrets.redact(text)
        lock.withLock {
            progressBar?("\r\u{1B}[2K")
            write("\(stamp)  \(out)")
            drawBar()
        }
    }

    /// How much work the apply has (units over all runs), so the bar can show how far it got.
    func expect(units: Int, runs: Int) {
        lock.withLock {
            total = units
            self.runs = (0, runs)
            drawBar()
        }
    }

    /// Whether anything reads the progress calls below (a terminal); without one they are not worth formatting.
    var showsProgress: Bool { progressBar != nil }

    /// How far `unit`'s load has read (`amount`, e.g. `12.0 MB`), shown after the bar; nil when it ended.
    func loadProgress(_ unit: String, _ amount: String?) {
        guard progressBar != nil else { return }
        lock.withLock {
            loads[unit] = amount
            drawBar()
        }
    }

    func unitSettled() { lock.withLock { done += 1; drawBar() } }
    func runFinished() { lock.withLock { runs.done += 1; drawBar() } }

    /// Clears the bar (at the end).
    func finish() {
        lock.withLock {
            progressBar?("\r\u{1B}[2K")
            total = 0   // no bar under the lines that follow
        }
    }

    private func drawBar() {
        guard let progressBar, total > 0 else { return }
        let width = 30
        let filled = min(width, done * width / total)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        var text = "[\(bar)] \(done)/\(total) units · \(runs.done)/\(runs.total) runs"
        for unit in loads.keys.sorted().prefix(2) { text += " · loading \(unit) \(loads[unit] ?? "")" }
        if loads.count > 2 { text += " · +\(loads.count - 2) loads" }
        progressBar("\r\u{1B}[2K" + text)
    }
}

import PipecSchedule

extension Instant {
    /// The current UTC time as ISO 8601, for log lines.
    static func nowClock() -> String { Instant.now().description }
}
