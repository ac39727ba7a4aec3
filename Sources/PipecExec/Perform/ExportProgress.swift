import PipecIO
import Synchronization

/// How far an export has got, shown after the progress bar on a terminal as loads show theirs: bytes handed to the
/// object store, rows written (when pipec sees rows; a database's own CSV output is counted in bytes only) and
/// objects begun. Redrawn every 4 MiB or 100,000 rows, so a fast export does not spend its time drawing.
final class ExportProgress: Sendable {
    private struct Counts {
        var bytes = 0
        var rows = 0
        var objects = 0
        var shownBytes = 0
        var shownRows = 0
    }

    private let log: ApplyLog
    private let unit: String
    private let counts = Mutex(Counts())

    /// nil when nothing shows progress (no terminal): the export then counts nothing.
    static func make(log: ApplyLog, unit: String) -> ExportProgress? {
        log.showsProgress ? ExportProgress(log: log, unit: unit) : nil
    }

    private init(log: ApplyLog, unit: String) {
        self.log = log
        self.unit = unit
    }

    func objectBegun() { update { $0.objects += 1 } }
    func wrote(bytes: Int) { update { $0.bytes += bytes } }
    func wrote(rows: Int) { update { $0.rows += rows } }

    /// Removes the export from the bar.
    func ended() { log.exportProgress(unit, nil) }

    private func update(_ change: (inout Counts) -> Void) {
        let text: String? = counts.withLock { c in
            change(&c)
            guard c.bytes - c.shownBytes >= 4 << 20 || c.rows - c.shownRows >= 100_000 || c.bytes + c.rows == 0 else { return nil }
            c.shownBytes = c.bytes
            c.shownRows = c.rows
            return Self.describe(c)
        }
        if let text { log.exportProgress(unit, text) }
    }

    /// `12.0 MB · 120000 rows · 1 object`.
    private static func describe(_ c: Counts) -> String {
        var parts = [String(format: "%.1f MB", Double(c.bytes) / 1_000_000)]
        if c.rows > 0 { parts.append("\(c.rows) rows") }
        parts.append(c.objects == 1 ? "1 object" : "\(c.objects) objects")
        return parts.joined(separator: " · ")
    }
}

/// Counts the bytes written through a sink into an export's progress.
struct MeteredSink: ByteSink {
    var base: any ByteSink
    let progress: ExportProgress

    mutating func write(_ bytes: [UInt8]) throws {
        try base.write(bytes)
        progress.wrote(bytes: bytes.count)
    }

    mutating func finish() throws { try base.finish() }
    mutating func abort() { base.abort() }
}
