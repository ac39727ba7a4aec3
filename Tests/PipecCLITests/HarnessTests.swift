import Foundation
import Testing

/// The harness itself: a command that writes far more than a pipe holds to stderr (diagnostics) must not block.
/// With both streams read through pipes, one after the other, this case hung forever.
@Suite struct HarnessTests {
    @Test func outputLargerThanAPipeDoesNotBlock() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-harness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var spec = "version: 1\npipeline: big\nresources:\n  local: {kind: sqlite, path: x.sqlite}\ntables:\n"
        for i in 0..<1500 { spec += "  t\(i):\n    on: nowhere\(i)\n    columns: {id: INTEGER}\n" }
        try spec.write(to: dir.appendingPathComponent("spec.yaml"), atomically: true, encoding: .utf8)
        let result = try CLIHarness.run(["validate", "spec.yaml"], in: dir)
        #expect(result.exitCode == 1)
        #expect(result.stderr.utf8.count > 128 * 1024)
        #expect(result.stderr.contains("spec.yaml: 1500 errors"), "\(result.stderr.suffix(200))")
    }
}
