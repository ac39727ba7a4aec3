import Foundation
import Testing

/// One case per `Tests/Fixtures/cli/<name>.cmd`: the words after `pipec`, run from the package root (so the
/// shipped specs resolve), compared with `<name>.expected` (exit code, stdout, stderr).
@Suite struct CommandGoldenTests {
    static let fixtures = CLIHarness.packageRoot.appendingPathComponent("Tests/Fixtures/cli")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? [])
            .filter { $0.hasSuffix(".cmd") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test(arguments: cases)
    func command(_ name: String) throws {
        let line = try String(contentsOf: Self.fixtures.appendingPathComponent(name + ".cmd"), encoding: .utf8)
        let args = line.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        let result = try CLIHarness.run(args, in: CLIHarness.packageRoot)
        try CLIHarness.assertGolden(result.transcript, file: Self.fixtures.appendingPathComponent(name + ".expected"))
    }
}
