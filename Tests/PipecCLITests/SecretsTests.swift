import Foundation
import Testing

/// Plants secret values in the environment, runs every command over every shipped spec, and requires that no
/// output contains them.
@Suite struct SecretsTests {
    static let secrets: [String: String] = [
        "CLICKHOUSE_PASSWORD": "ch-Secret-4711",
        "AWS_SECRET_ACCESS_KEY": "aws-Secret-wJalrXUtnFEMI",
        "AURORA_DSN": "postgresql://etl:pg-Secret-0815@127.0.0.1:5432/bi",
        "BI_DSN": "host=127.0.0.1 user=etl password=pg-Secret-kw-77 dbname=bi",
        "CRATEDB_DSN": "postgresql://crate:crate-Secret-42@127.0.0.1:5432/doc",
        "SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T000/B000/slack-Secret-token",
        "APPMETRICA_TOKEN": "ym-Secret-oauth-token",
        "SRC_CLICKHOUSE_PASSWORD": "src-Secret-pw",
        "DST_CLICKHOUSE_PASSWORD": "dst-Secret-pw",
    ]

    static var specs: [String] {
        let dir = CLIHarness.packageRoot.appendingPathComponent("specs")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted().map { "specs/" + $0 }
    }

    private func assertClean(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try CLIHarness.run(args, in: CLIHarness.packageRoot, environment: Self.secrets)
        for (name, value) in Self.secrets {
            for fragment in [value] + value.split(separator: "-").filter { $0.contains("Secret") }.map(String.init) {
                #expect(!result.stdout.contains(fragment) && !result.stderr.contains(fragment),
                        "`pipec \(args.joined(separator: " "))` printed the value of \(name)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: specs)
    func noCommandPrintsASecret(spec: String) throws {
        try assertClean(["validate", spec])
        try assertClean(["validate", "--format", "json", spec])
        try assertClean(["diff", spec, spec])
        try assertClean(["compile", spec, "--resolve"])
        try assertClean(["compile", spec, "--resolve", "--format", "json"])
        try assertClean(["lineage", spec, "--format", "json"])
        // Every unit, rendered with the environment resolved.
        let names = try units(of: spec)
        #expect(!names.isEmpty)
        for name in names {
            try assertClean(["render", spec, name, "--resolve"])
        }
    }

    /// Table and task names of a spec, read back through `pipec diff` against an empty pipeline would be
    /// circular; the spec's own keys are enough here.
    private func units(of spec: String) throws -> [String] {
        let text = try String(contentsOf: CLIHarness.packageRoot.appendingPathComponent(spec), encoding: .utf8)
        var names: [String] = []
        var section = ""
        for line in text.split(separator: "\n") {
            if !line.hasPrefix(" ") && line.hasSuffix(":") { section = String(line.dropLast()) ; continue }
            guard section == "tables" || section == "tasks", line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") else { continue }
            let name = line.trimmingCharacters(in: .whitespaces).dropLast().trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if !name.contains("{item}") && !name.hasPrefix("#") { names.append(name) }
        }
        return names
    }
}
