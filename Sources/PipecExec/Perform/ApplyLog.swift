import Foundation

/// Where apply reports progress: plain timestamped lines (logs, CI), never the secrets the redactor knows. On a
/// terminal (`progressBar`), a bar of units done below the lines, redrawn as units finish, followed by how far the
/// loads and exports under way have got.
public final class ApplyLog: @unchecked Sendable {
    private let lock = NSLock()
    private let write: @Sendable (String) -> Void
    private let redact: @Sendable (String) -> String
    private let progressBar: (@Sendable (String) -> Void)?
    private var done = 0
    private var total = 0
    private var runs = (done: 0, total: 0)
    /// Loads and exports under way, by unit: what each has moved, as shown (`loading u 4.2 MB`).
    private var transfers: [String: (export: Bool, text: String)] = [:]

    /// `progressBar` writes raw text (no newline) to the terminal; nil for plain lines only.
    public init(redact: @escaping @Sendable (String) -> String, write: @escaping @Sendable (String) -> Void,
                progressBar: (@Sendable (String) -> Void)? = nil) {
        self.redact = redact
        self.write = write
        self.progressBar = progressBar
    }

    public func line(_ text: String) {
        let stamp = String(Instant.nowClock().prefix(19)).replacingOccurrences(of: "T", with: " ")
        let out = redact(text)
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
            transfers[unit] = amount.map { (false, "loading \(unit) \($0)") }
            drawBar()
        }
    }

    /// How far `unit`'s export has written (`amount`, e.g. `12.0 MB · 1 object`); nil when it ended.
    func exportProgress(_ unit: String, _ amount: String?) {
        guard progressBar != nil else { return }
        lock.withLock {
            transfers[unit] = amount.map { (true, "exporting \(unit) \($0)") }
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
        let units = transfers.keys.sorted()
        for unit in units.prefix(2) { text += " · \(transfers[unit]!.text)" }
        let rest = units.dropFirst(2).map { transfers[$0]!.export }
        if !rest.isEmpty {
            let what = rest.allSatisfy { !$0 } ? "loads" : rest.allSatisfy { $0 } ? "exports" : "loads and exports"
            text += " · +\(rest.count) \(what)"
        }
        progressBar("\r\u{1B}[2K" + text)
    }
}

import PipecSchedule

extension Instant {
    /// The current UTC time as ISO 8601, for log lines.
    static func nowClock() -> String { Instant.now().description }
}
