import Foundation
import PipecDiagnostics
import PipecModel
@testable import PipecExec
import Testing

/// What apply shows on a terminal: log lines above a bar of units and runs, with the loads under way after it.
@Suite struct ApplyLogTests {
    /// Collects what the log writes, lines and raw terminal text apart.
    final class Capture: @unchecked Sendable {
        private let lock = NSLock()
        private var _lines: [String] = []
        private var _bars: [String] = []
        var lines: [String] { lock.withLock { _lines } }
        var bars: [String] { lock.withLock { _bars } }
        func line(_ s: String) { lock.withLock { _lines.append(s) } }
        func bar(_ s: String) { lock.withLock { _bars.append(s) } }
    }

    @Test func barCountsUnitsAndRunsAndShowsLoadsUnderWay() {
        let capture = Capture()
        let log = ApplyLog(redact: { $0 }, write: { capture.line($0) }, progressBar: { capture.bar($0) })
        #expect(log.showsProgress)
        log.expect(units: 4, runs: 2)
        log.loadProgress("load_orders", "4.2 MB")
        #expect(capture.bars.last?.hasSuffix("0/4 units · 0/2 runs · loading load_orders 4.2 MB") == true)
        log.loadProgress("load_orders", nil)
        log.unitSettled()
        log.unitSettled()
        log.runFinished()
        #expect(capture.bars.last?.hasSuffix("2/4 units · 1/2 runs") == true)
        #expect(capture.bars.last?.contains("[" + String(repeating: "█", count: 15) + String(repeating: "░", count: 15) + "]") == true)

        log.line("load_orders succeeded")
        #expect(capture.lines.count == 1)
        #expect(capture.lines[0].hasSuffix("  load_orders succeeded"))
        // The bar is cleared before the line and drawn again after it.
        #expect(capture.bars.suffix(2).first == "\r\u{1B}[2K")

        log.finish()
        #expect(capture.bars.last == "\r\u{1B}[2K")
        log.unitSettled()
        #expect(capture.bars.last == "\r\u{1B}[2K", "no bar after finish")
    }

    @Test func manyLoadsAreSummarized() {
        let capture = Capture()
        let log = ApplyLog(redact: { $0 }, write: { capture.line($0) }, progressBar: { capture.bar($0) })
        log.expect(units: 3, runs: 1)
        log.loadProgress("c", "10 rows")
        log.loadProgress("a", "1.0 MB")
        log.loadProgress("b", "2.0 MB")
        #expect(capture.bars.last?.hasSuffix("· loading a 1.0 MB · loading b 2.0 MB · +1 loads") == true)
    }

    @Test func plainLogsDrawNothingAndRedact() {
        let capture = Capture()
        let log = ApplyLog(redact: { $0.replacingOccurrences(of: "s3cret", with: "***") }, write: { capture.line($0) })
        #expect(!log.showsProgress)
        log.expect(units: 2, runs: 1)
        log.loadProgress("load_orders", "4.2 MB")
        log.line("password s3cret")
        #expect(capture.bars.isEmpty)
        #expect(capture.lines.count == 1)
        #expect(capture.lines[0].hasSuffix("  password ***"))
    }

    @Test func exportsShowWhatTheyWroteBesideLoads() {
        let capture = Capture()
        let log = ApplyLog(redact: { $0 }, write: { capture.line($0) }, progressBar: { capture.bar($0) })
        log.expect(units: 3, runs: 1)
        log.exportProgress("export_gold", "4.2 MB · 100000 rows · 1 object")
        #expect(capture.bars.last?.hasSuffix("0/3 units · 0/1 runs · exporting export_gold 4.2 MB · 100000 rows · 1 object") == true)
        log.loadProgress("a_load", "1.0 MB")
        log.loadProgress("b_load", "2.0 MB")
        #expect(capture.bars.last?.hasSuffix("· loading a_load 1.0 MB · loading b_load 2.0 MB · +1 exports") == true)
        log.exportProgress("export_gold", nil)
        #expect(capture.bars.last?.hasSuffix("· loading a_load 1.0 MB · loading b_load 2.0 MB") == true)
    }

    /// CLI.md: "Progress bars on a TTY for long loads, exports and backfills". A real export on SQLite, run with a
    /// terminal bar, shows its rows, bytes and objects while it writes, and leaves the bar when done.
    @Test func anExportShowsItsProgressWhileItWrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-export-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = """
        version: 1
        pipeline: progress
        schedule: {cron: "@daily", start: 2025-01-01}
        resources:
          local: {kind: sqlite, path: .pipec/warehouse.sqlite}
          out: {kind: file, root: out/}
        tables:
          ids:
            on: local
            columns: {id: INTEGER, label: TEXT}
            build:
              sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120000) SELECT i AS id, 'row ' || i AS label FROM n"
              strategy: full
        tasks:
          export_ids:
            kind: export
            from: {table: ids}
            to: {on: out, key: "ids.csv", format: csv}
        """
        let path = dir.appendingPathComponent("spec.yaml").path
        try spec.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = SpecLoader.load(path: path, sources: SourceFiles())
        let pipeline = try #require(loaded.pipeline)
        try #require(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.sorted().map(\.message))")
        var options = ApplyOptions()
        options.specText = spec
        options.parallel = 1
        options.selection = .range(from: "2025-01-01", to: "2025-01-01")
        let capture = Capture()
        let log = ApplyLog(redact: { $0 }, write: { capture.line($0) }, progressBar: { capture.bar($0) })
        _ = try Applier.apply(pipeline, options: options, log: log, interruption: CancellationFlag())
        let shown = capture.bars.filter { $0.contains("exporting export_ids") }
        #expect(shown.contains { $0.contains("100000 rows") && $0.contains(" MB") && $0.hasSuffix("1 object") }, "\(shown)")
        #expect(capture.bars.last == "\r\u{1B}[2K", "the bar is cleared at the end")
        let written = try String(contentsOf: dir.appendingPathComponent("out/ids.csv"), encoding: .utf8)
        #expect(written.split(separator: "\n").count == 120_001)
    }
}
