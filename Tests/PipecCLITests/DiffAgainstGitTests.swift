import Foundation
import PipecTestSupport
import Testing

/// `pipec diff SPEC --against REV` reads the old spec (and its templates) from git.
@Suite struct DiffAgainstGitTests {
    private func sh(_ args: [String], in dir: URL) throws {
        let done = try ChildProcess.run(args[0], Array(args.dropFirst()), directory: dir.path)
        #expect(done.exitCode == 0, "\(args.joined(separator: " ")): \(done.output)")
    }

    @Test func oldSpecAndTemplatesComeFromTheRevision() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-diff-git-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("templates"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fixtures = CLIHarness.packageRoot.appendingPathComponent("Tests/Fixtures/diff/changed-sql-upstream")
        let old = try String(contentsOf: fixtures.appendingPathComponent("old.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "    columns: {day: Date, revenue: Float64}\n    engine: MergeTree\n    order_by: [day]\n    build:\n      sql: |\n        SELECT toDate(event_time) AS day, sum(amount) AS revenue\n        FROM {{ ref('silver.events') }}\n        WHERE {{ interval_filter('event_time') }}\n        GROUP BY day\n",
                                  with: "    columns: {day: Date, revenue: Float64}\n    engine: MergeTree\n    order_by: [day]\n    build:\n      sql: templates/daily.sql\n")
        try old.write(to: dir.appendingPathComponent("spec.yaml"), atomically: true, encoding: .utf8)
        try "SELECT toDate(event_time) AS day, sum(amount) AS revenue\nFROM {{ ref('silver.events') }}\nGROUP BY day\n"
            .write(to: dir.appendingPathComponent("templates/daily.sql"), atomically: true, encoding: .utf8)
        try sh(["git", "init", "-q"], in: dir)
        try sh(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "."], in: dir)
        try sh(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "old"], in: dir)
        // The working tree changes only the template file.
        try "SELECT toDate(event_time) AS day, round(sum(amount), 2) AS revenue\nFROM {{ ref('silver.events') }}\nGROUP BY day\n"
            .write(to: dir.appendingPathComponent("templates/daily.sql"), atomically: true, encoding: .utf8)
        let result = try CLIHarness.run(["diff", "spec.yaml", "--against", "HEAD"], in: dir)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("~ gold.daily: SQL changed"))
        #expect(result.stdout.contains("+SELECT toDate(event_time) AS day, round(sum(amount), 2) AS revenue"))
        #expect(!result.stdout.contains("silver.events: SQL changed"))

        let missing = try CLIHarness.run(["diff", "spec.yaml", "--against", "no-such-revision"], in: dir)
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("cannot read spec.yaml at git revision 'no-such-revision'"))
    }
}
