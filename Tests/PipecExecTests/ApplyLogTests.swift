import Foundation
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
}
