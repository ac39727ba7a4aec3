import Foundation
import Testing

/// One case per folder of Tests/Fixtures/validate: `spec.yaml` (and any templates/ it needs), optional `args`
/// (the words after `pipec validate`; default `spec.yaml`), and `expected.txt` holding the exit code and output.
@Suite struct ValidateGoldenTests {
    static let fixtures = CLIHarness.packageRoot.appendingPathComponent("Tests/Fixtures/validate")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).sorted()
    }

    @Test(arguments: cases)
    func validate(_ name: String) throws {
        let dir = Self.fixtures.appendingPathComponent(name)
        var args = ["spec.yaml"]
        if let text = try? String(contentsOf: dir.appendingPathComponent("args"), encoding: .utf8) {
            args = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        }
        let result = try CLIHarness.run(["validate"] + args, in: dir)
        try CLIHarness.assertGolden(result.transcript, file: dir.appendingPathComponent("expected.txt"))
    }

    @Test func thereAreAtLeastFortyInvalidSpecs() {
        let invalid = Self.cases.filter { name in
            let expected = try? String(contentsOf: Self.fixtures.appendingPathComponent(name).appendingPathComponent("expected.txt"), encoding: .utf8)
            return expected?.hasPrefix("exit: 1") == true
        }
        #expect(invalid.count >= 40)
    }
}
