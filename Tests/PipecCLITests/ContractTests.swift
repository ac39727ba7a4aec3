import Foundation
import PipecDiagnostics
import PipecTestSupport
import Testing

/// A throwaway project folder (spec, templates, data) driven through the real `pipec` binary, as a user would.
final class ContractProject {
    let dir: URL

    init(_ spec: String, files: [String: String] = [:]) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try write("spec.yaml", spec)
        for (path, text) in files { try write(path, text) }
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func write(_ path: String, _ text: String) throws {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func read(_ path: String) throws -> String { try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8) }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: dir.appendingPathComponent(path).path) }

    /// `pipec ARGS` in the project folder (no PIPEC_STATE from the caller's environment).
    func pipec(_ arguments: [String], environment: [String: String] = [:], in sub: String? = nil) throws -> CLIHarness.Result {
        try CLIHarness.run(arguments, in: sub.map { dir.appendingPathComponent($0) } ?? dir,
                           environment: ["PIPEC_STATE": ""].merging(environment) { _, b in b })
    }

    /// The sqlite3 shell on a database of the project: an independent reader of what pipec wrote.
    func sqlite(_ file: String, _ sql: String) throws -> String {
        let r = try ChildProcess.run("sqlite3", [dir.appendingPathComponent(file).path, sql])
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func git(_ arguments: [String]) throws {
        let r = try ChildProcess.run("git", ["-C", dir.path, "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments)
        #expect(r.exitCode == 0, "git \(arguments.joined(separator: " ")): \(r.stderr)")
    }
}

private func isJSON(_ text: String) -> Bool {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil
}

private func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// A small SQLite pipeline: one daily table built from inline SQL.
private let dailySpec = """
    version: 1
    pipeline: contract
    schedule: {cron: "@daily", start: 2025-01-01, end: 2025-01-03}
    resources:
      db: {kind: sqlite, path: w.sqlite}
    tables:
      t:
        on: db
        columns: {v: INTEGER}
        build: {sql: "SELECT 1 AS v", strategy: full}

    """

/// The contract suite: one test per claim of CLI.md and SPEC.md that a user can observe (flags, exit codes,
/// outputs, keys, task outputs), each citing the line it checks. docs/cli.md ("How pipec reads CLI.md") records
/// where a claim is read in a particular way.
@Suite struct ContractTests {
    // MARK: CLI.md: exit codes

    // CLI.md: "Exit codes: 0 success; 1 the spec or the run failed (diagnostics or a failed task); 2 usage error"
    @Test func exitCodesZeroOneTwo() throws {
        let p = try ContractProject(dailySpec)
        #expect(try p.pipec(["validate", "spec.yaml"]).exitCode == 0)
        try p.write("bad.yaml", dailySpec.replacingOccurrences(of: "strategy: full", with: "strategy: fullest"))
        #expect(try p.pipec(["validate", "bad.yaml"]).exitCode == 1)
        #expect(try p.pipec(["validate", "spec.yaml", "--no-such-flag"]).exitCode == 2)
    }

    // CLI.md: "3 a required service was unreachable"
    @Test func exitCodeThreeForAnUnreachableService() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "db: {kind: sqlite, path: w.sqlite}",
                                                                   with: "db: {kind: postgres, dsn: \"postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2\"}"))
        let r = try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"])
        #expect(r.exitCode == 3, "\(r.transcript)")
    }

    // CLI.md: "1 the spec or the run failed" (a corrupt local state file is a failed run, named, not an unreachable service)
    @Test func aCorruptStateFileFailsWithExitOneAndIsNamed() throws {
        let p = try ContractProject(dailySpec)
        try p.write(".pipec/state.sqlite", String(repeating: "not a database ", count: 100))
        let r = try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"])
        #expect(r.exitCode == 1, "\(r.transcript)")
        #expect(r.stderr.contains(".pipec/state.sqlite"))
    }

    // docs/diagnostics.md: "E700 | plan | no runs to plan (the selection falls outside the schedule)"; CLI.md: 1 = the spec failed
    @Test func selectingNoRunsIsE700WithExitOneForEveryCommand() throws {
        let p = try ContractProject(dailySpec)
        for args in [["compile", "spec.yaml", "--ds", "2030-01-01"], ["compile", "spec.yaml", "--from", "2030-01-01", "--to", "2030-01-02"],
                     ["render", "spec.yaml", "t", "--ds", "2030-01-01"], ["plan", "spec.yaml", "--ds", "2030-01-01"],
                     ["apply", "spec.yaml", "--ds", "2030-01-01"]] {
            let r = try p.pipec(args)
            #expect(r.exitCode == 1, "\(args): \(r.transcript)")
            #expect(r.stderr.contains("[E700]"), "\(args): \(r.stderr)")
        }
        // A date that does not parse is a usage error.
        #expect(try p.pipec(["compile", "spec.yaml", "--ds", "2025-13-45x"]).exitCode == 2)
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-13-45x"]).exitCode == 2)
    }

    // MARK: CLI.md: --format json and colour

    // CLI.md: "`--format json` is accepted everywhere output is structured."
    @Test func formatJSONEverywhereOutputIsStructured() throws {
        let p = try ContractProject(dailySpec)
        try p.write("other.yaml", dailySpec.replacingOccurrences(of: "SELECT 1 AS v", with: "SELECT 2 AS v"))
        let commands: [[String]] = [
            ["validate", "spec.yaml"], ["compile", "spec.yaml"], ["render", "spec.yaml", "t"], ["lineage", "spec.yaml"],
            ["diff", "spec.yaml", "other.yaml"], ["plan", "spec.yaml"], ["apply", "spec.yaml", "--ds", "2025-01-01"],
            ["runs", "spec.yaml"], ["schema"],
        ]
        for args in commands {
            let r = try p.pipec(args + ["--format", "json"])
            #expect(r.exitCode == 0, "\(args): \(r.transcript)")
            #expect(isJSON(r.stdout), "\(args) printed no JSON: \(r.stdout.prefix(200))")
        }
    }

    // CLI.md: "Colour only on a TTY (`--color always|never|auto`); `NO_COLOR` is honoured."
    @Test func colourOnlyWhenAskedOrOnATerminal() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "strategy: full", with: "strategy: fullest"))
        #expect(try p.pipec(["validate", "spec.yaml", "--color", "always"]).stderr.contains("\u{1B}["))
        #expect(!(try p.pipec(["validate", "spec.yaml"]).stderr.contains("\u{1B}[")))
        #expect(!(try p.pipec(["validate", "spec.yaml", "--color", "never"]).stderr.contains("\u{1B}[")))
    }

    // MARK: CLI.md: the commands

    // CLI.md: "`pipec validate SPEC...` | parse and check; print every diagnostic"
    @Test func validateTakesSeveralSpecsAndPrintsEveryDiagnostic() throws {
        let p = try ContractProject(dailySpec)
        try p.write("bad.yaml", dailySpec.replacingOccurrences(of: "strategy: full", with: "strategy: fullest")
            .replacingOccurrences(of: "on: db", with: "on: nodb"))
        let r = try p.pipec(["validate", "spec.yaml", "bad.yaml"])
        #expect(r.exitCode == 1)
        #expect(r.stdout.contains("spec.yaml: valid") || r.stderr.contains("spec.yaml: valid"))
        #expect(r.stderr.contains("[E104]") && r.stderr.contains("[E201]"), "\(r.stderr)")
    }

    // CLI.md: "`pipec compile ...` | ... a dry run, with every rendered statement, in execution order, secrets redacted"
    @Test func compileIsADryRunWithRenderedStatementsAndSecretsRedacted() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "  db: {kind: sqlite, path: w.sqlite}",
                                                                   with: "  db: {kind: sqlite, path: w.sqlite}\n  slack: {kind: webhook, url: \"https://hooks.example.com/T000/SECRET\"}") + """
              u:
                on: db
                columns: {v: INTEGER}
                build: {sql: "SELECT v + 1 AS v FROM {{ ref('t') }} -- {{ ds }}", strategy: full}
            tasks:
              hook: {kind: notify, on: slack, message: "done {{ ds }}", after: [u]}

            """)
        let r = try p.pipec(["compile", "spec.yaml", "--ds", "2025-01-02"])
        #expect(r.exitCode == 0, "\(r.transcript)")
        #expect(r.stdout.contains("SELECT v + 1 AS v FROM t -- 2025-01-02"))
        #expect(try #require(r.stdout.range(of: "stage 1: t")).lowerBound < (try #require(r.stdout.range(of: "stage 2: u"))).lowerBound)
        #expect(!r.stdout.contains("SECRET"))
        #expect(!p.exists("w.sqlite") && !p.exists(".pipec"))
    }

    // CLI.md: "`pipec render SPEC TASK_OR_TABLE [--ds D]` | print one task's or table build's rendered SQL / request, exactly as compile would"
    @Test func renderShowsWhatCompileShows() throws {
        let p = try ContractProject(dailySpec + """
            tasks:
              answer: {kind: sql, on: db, sql: "SELECT 42"}
              use:
                kind: sql
                on: db
                after: [answer]
                when: "{{ tasks.answer.value == '42' }}"
                sql: "SELECT {{ ds_nodash }}"

            """)
        let render = try p.pipec(["render", "spec.yaml", "use", "--ds", "2025-01-02"])
        let compile = try p.pipec(["compile", "spec.yaml", "--ds", "2025-01-02"])
        #expect(render.stdout.contains("SELECT 20250102") && compile.stdout.contains("SELECT 20250102"))
        // A `when:` reading task outputs is deferred to run time by compile, and render says so too (not "False").
        #expect(compile.stdout.contains("{{ tasks.answer.value == '42' }}  (rendered at run time with answer.value)"), "\(compile.stdout)")
        #expect(render.stdout.contains("{{ tasks.answer.value == '42' }}  (rendered at run time with answer.value)"), "\(render.stdout)")
        #expect(!render.stdout.contains("False"))
    }

    // CLI.md: "`pipec lineage SPEC [--format mermaid|dot|json] [--upstream T | --downstream T]`"
    @Test func lineageFormatsAndDirections() throws {
        let p = try ContractProject(dailySpec + """
              u:
                on: db
                columns: {v: INTEGER}
                build: {sql: "SELECT v FROM {{ ref('t') }}", strategy: full}

            """)
        #expect(try p.pipec(["lineage", "spec.yaml"]).stdout.hasPrefix("flowchart") || (try p.pipec(["lineage", "spec.yaml"]).stdout.hasPrefix("graph")))
        #expect(try p.pipec(["lineage", "spec.yaml", "--format", "dot"]).stdout.hasPrefix("digraph"))
        #expect(isJSON(try p.pipec(["lineage", "spec.yaml", "--format", "json"]).stdout))
        let up = try p.pipec(["lineage", "spec.yaml", "--upstream", "t", "--format", "json"]).stdout
        #expect(!up.contains("\"u\""))
        let down = try p.pipec(["lineage", "spec.yaml", "--downstream", "t", "--format", "json"]).stdout
        #expect(down.contains("\"u\""))
    }

    // CLI.md: "`pipec diff OLD_SPEC NEW_SPEC [--against GITREV] [--format text|markdown|json] [--fail-on breaking]`"
    @Test func diffTwoSpecsFormatsAndFailOnBreaking() throws {
        let p = try ContractProject(dailySpec)
        try p.write("new.yaml", dailySpec.replacingOccurrences(of: "columns: {v: INTEGER}", with: "columns: {v: TEXT}"))
        let text = try p.pipec(["diff", "spec.yaml", "new.yaml"])
        #expect(text.exitCode == 0 && text.stdout.contains("t"))
        #expect(try p.pipec(["diff", "spec.yaml", "new.yaml", "--format", "markdown"]).exitCode == 0)
        #expect(try p.pipec(["diff", "spec.yaml", "new.yaml", "--fail-on", "breaking"]).exitCode == 1)
    }

    // CLI.md: "`pipec diff OLD_SPEC NEW_SPEC [--against GITREV]`": two specs with --against (OLD at the revision, NEW as it is)
    @Test func diffAgainstARevisionWithTwoSpecs() throws {
        let p = try ContractProject(dailySpec)
        try p.git(["init", "-q"])
        try p.git(["add", "."])
        try p.git(["commit", "-qm", "old"])
        try p.write("renamed.yaml", dailySpec.replacingOccurrences(of: "SELECT 1 AS v", with: "SELECT 2 AS v"))
        let r = try p.pipec(["diff", "spec.yaml", "renamed.yaml", "--against", "HEAD"])
        #expect(r.exitCode == 0, "\(r.transcript)")
        #expect(r.stdout.contains("SELECT 2 AS v"), "\(r.stdout)")
    }

    // CLI.md: "`pipec plan ...` | ... `--detailed-exitcode`: 0 nothing to do, 1 error, 2 changes pending"
    @Test func planDetailedExitcode() throws {
        let p = try ContractProject(dailySpec)
        #expect(try p.pipec(["plan", "spec.yaml", "--ds", "2025-01-01", "--detailed-exitcode"]).exitCode == 2)
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"]).exitCode == 0)
        let again = try p.pipec(["plan", "spec.yaml", "--ds", "2025-01-01", "--detailed-exitcode"])
        #expect(again.exitCode == 0, "\(again.transcript)")
    }

    // CLI.md: "`pipec apply SPEC [...] [--param k=v]`"; docs/cli.md: "--param k=v without = is a usage error (exit 2)"
    @Test func applyParamsAndTheirUsageError() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "SELECT 1 AS v", with: "SELECT {{ params.n }} AS v")
            .replacingOccurrences(of: "resources:", with: "params: {n: 1}\nresources:"))
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01", "--param", "n"]).exitCode == 2)
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01", "--param", "n=7"]).exitCode == 0)
        #expect(try p.sqlite("w.sqlite", "SELECT v FROM t") == "7")
    }

    // CLI.md: "`pipec apply PLAN.json` | carry out exactly a plan saved with `pipec compile --format json -o PLAN.json`"
    @Test func applyASavedPlan() throws {
        let p = try ContractProject(dailySpec)
        #expect(try p.pipec(["compile", "spec.yaml", "--ds", "2025-01-02", "--format", "json", "-o", "plan.json"]).exitCode == 0)
        #expect(try json(p.read("plan.json"))["format"] as? String == "pipec-plan")
        let r = try p.pipec(["apply", "plan.json"])
        #expect(r.exitCode == 0, "\(r.transcript)")
        #expect(try p.sqlite("w.sqlite", "SELECT v FROM t") == "1")
    }

    // CLI.md: "refused, with the reason, when the spec, templates or live tables changed since it was made (a stale plan)"
    @Test func aStalePlanIsRefusedWithTheReason() throws {
        let p = try ContractProject(dailySpec)
        #expect(try p.pipec(["compile", "spec.yaml", "--ds", "2025-01-02", "--format", "json", "-o", "plan.json"]).exitCode == 0)
        try p.write("spec.yaml", dailySpec.replacingOccurrences(of: "SELECT 1 AS v", with: "SELECT 2 AS v"))
        let r = try p.pipec(["apply", "plan.json"])
        #expect(r.exitCode == 1)
        #expect(r.stderr.contains("the plan is stale") && r.stderr.contains("changed units: t"), "\(r.stderr)")
    }

    // docs/cli.md: "the schedule no longer has the plan's runs" is a reason a plan is stale
    @Test func aPlanWhoseRunsLeftTheScheduleSaysSo() throws {
        let p = try ContractProject(dailySpec)
        #expect(try p.pipec(["compile", "spec.yaml", "--ds", "2025-01-03", "--format", "json", "-o", "plan.json"]).exitCode == 0)
        try p.write("spec.yaml", dailySpec.replacingOccurrences(of: "end: 2025-01-03", with: "end: 2025-01-02"))
        let r = try p.pipec(["apply", "plan.json"])
        #expect(r.exitCode == 1)
        #expect(r.stderr.contains("the schedule no longer has the plan's runs: scheduled__2025-01-03T00:00:00+00:00"), "\(r.stderr)")
    }

    // docs/plan-format.md: the spec hash "does not depend on the working directory, so a plan compiled in one folder applies from another"
    @Test func aSavedPlanMovesWithTheProject() throws {
        let p = try ContractProject("version: 1\n")
        try FileManager.default.removeItem(at: p.dir.appendingPathComponent("spec.yaml"))
        try p.write("sub/spec.yaml", dailySpec.replacingOccurrences(of: "SELECT 1 AS v", with: "templates/t.sql"))
        try p.write("sub/templates/t.sql", "SELECT 3 AS v\n")
        #expect(try p.pipec(["compile", "spec.yaml", "--ds", "2025-01-02", "--format", "json", "-o", "plan.json"], in: "sub").exitCode == 0)
        let r = try p.pipec(["apply", "sub/plan.json"])
        #expect(r.exitCode == 0, "\(r.transcript)")
        #expect(try p.sqlite("sub/w.sqlite", "SELECT v FROM t") == "3")
    }

    // CLI.md: "`pipec runs SPEC [--last N]` | run history ... | reads state"; docs/cli.md: "a missing one is 'no runs yet', and no file or folder is created"
    @Test func runsReadsAndNeverWrites() throws {
        let p = try ContractProject(dailySpec)
        let fresh = try p.pipec(["runs", "spec.yaml"])
        #expect(fresh.exitCode == 0 && fresh.stdout.contains("no runs of contract recorded yet"), "\(fresh.transcript)")
        #expect(!p.exists(".pipec"))
        #expect(try p.pipec(["runs", "spec.yaml", "--state", "sqlite:other.sqlite"]).exitCode == 0)
        #expect(!p.exists("other.sqlite"))
        #expect(try p.pipec(["apply", "spec.yaml", "--from", "2025-01-01", "--to", "2025-01-02"]).exitCode == 0)
        let runs = try json(try p.pipec(["runs", "spec.yaml", "--last", "1", "--format", "json"]).stdout)["runs"] as? [Any]
        #expect(runs?.count == 1)
    }

    // CLI.md: "`pipec schema` | JSON Schema of the spec language, for editors"
    @Test func schemaIsAJSONSchema() throws {
        let p = try ContractProject(dailySpec)
        let schema = try json(try p.pipec(["schema"]).stdout)
        #expect((schema["$schema"] as? String)?.contains("json-schema") == true)
    }

    // CLI.md: "State store: `--state` or the `PIPEC_STATE` environment variable; default `sqlite:.pipec/state.sqlite` beside the spec's project"
    @Test func stateStoreLocation() throws {
        let p = try ContractProject(dailySpec)
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"]).exitCode == 0)
        #expect(p.exists(".pipec/state.sqlite"))
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"], environment: ["PIPEC_STATE": "sqlite:env.sqlite"]).exitCode == 0)
        #expect(p.exists("env.sqlite"))
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01", "--state", "sqlite:flag.sqlite"]).exitCode == 0)
        #expect(p.exists("flag.sqlite"))
    }

    // MARK: SPEC.md: values from the environment

    // SPEC.md: "A missing variable with no default is an error at the moment it is needed (apply, or compile with `--resolve`), naming the key that needs it."
    @Test func aMissingVariableInAParamIsAnErrorNamingTheKey() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "SELECT 1 AS v", with: "SELECT '{{ params.p }}' AS v")
            .replacingOccurrences(of: "columns: {v: INTEGER}", with: "columns: {v: TEXT}")
            .replacingOccurrences(of: "resources:", with: "params: {p: \"${env:PIPEC_CONTRACT_NOPE}\"}\nresources:"))
        let r = try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"])
        #expect(r.exitCode == 1, "\(r.transcript)")
        #expect(r.stderr.contains("PIPEC_CONTRACT_NOPE is not set") && r.stderr.contains("param 'p'"), "\(r.stderr)")
        #expect(try p.sqlite("w.sqlite", "SELECT count(*) FROM sqlite_master WHERE name = 't'") != "1" || (try p.sqlite("w.sqlite", "SELECT count(*) FROM t")) == "0")
        let set = try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"], environment: ["PIPEC_CONTRACT_NOPE": "hello"])
        #expect(set.exitCode == 0, "\(set.transcript)")
        #expect(try p.sqlite("w.sqlite", "SELECT v FROM t") == "hello")
    }

    // SPEC.md: "Any string may contain `${env:NAME}` or `${env:NAME:-default}`" (a resource setting under compile --resolve)
    @Test func resolveFillsOrRefusesResourceSettings() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "  db: {kind: sqlite, path: w.sqlite}",
                                                                   with: "  db: {kind: sqlite, path: w.sqlite}\n  files: {kind: file, root: \"${env:PIPEC_CONTRACT_ROOT}/out\"}"))
        let missing = try p.pipec(["compile", "spec.yaml", "--resolve"])
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("PIPEC_CONTRACT_ROOT is not set") && missing.stderr.contains("'root' of resource 'files'") && missing.stderr.contains("[E112]"))
        let set = try p.pipec(["compile", "spec.yaml", "--resolve"], environment: ["PIPEC_CONTRACT_ROOT": "/data"])
        #expect(set.exitCode == 0 && set.stdout.contains("/data/out") && !set.stdout.contains("${env:"), "\(set.stdout)")
    }

    // SPEC.md: "Any string may contain `${env:NAME}`" (task fields: a load's from.http query and headers)
    @Test func environmentReferencesInTaskFields() throws {
        let p = try ContractProject(dailySpec + """
                  api: {kind: http, base_url: "http://127.0.0.1:9"}
            tasks:
              fetch:
                kind: load
                from: {http: {on: api, path: /x.csv, format: csv, query: {token: "${env:PIPEC_Q}"}, headers: {X-T: "${env:PIPEC_H}"}}}
                into: t
                strategy: full

            """.replacingOccurrences(of: "      api:", with: "  api:"))
        try p.write("spec.yaml", try p.read("spec.yaml").replacingOccurrences(of: "\n  api: {kind: http, base_url: \"http://127.0.0.1:9\"}", with: "")
            .replacingOccurrences(of: "  db: {kind: sqlite, path: w.sqlite}", with: "  db: {kind: sqlite, path: w.sqlite}\n  api: {kind: http, base_url: \"http://127.0.0.1:9\"}"))
        let plain = try p.pipec(["compile", "spec.yaml"])
        #expect(plain.exitCode == 0, "\(plain.transcript)")
        #expect(plain.stdout.contains("environment read at apply: PIPEC_H, PIPEC_Q"), "\(plain.stdout)")
        let resolved = try p.pipec(["compile", "spec.yaml", "--resolve"], environment: ["PIPEC_Q": "abc", "PIPEC_H": "h"])
        #expect(resolved.stdout.contains("query token = abc"), "\(resolved.stdout)")
        let missing = try p.pipec(["compile", "spec.yaml", "--resolve"], environment: ["PIPEC_H": "h"])
        #expect(missing.exitCode == 1 && missing.stderr.contains("PIPEC_Q is not set"), "\(missing.transcript)")
        // The header is rendered when the request is made: an unset variable fails the task there, named.
        let apply = try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"], environment: ["PIPEC_Q": "abc"])
        #expect(apply.exitCode == 1 && apply.stdout.contains("PIPEC_H is not set"), "\(apply.transcript)")
    }

    // SPEC.md: "A secret written literally into a spec is a warning (`--strict` makes it an error)."
    @Test func aLiteralSecretWarnsAndStrictRefuses() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "  db: {kind: sqlite, path: w.sqlite}",
                                                                   with: "  db: {kind: sqlite, path: w.sqlite}\n  ch: {kind: clickhouse, url: \"http://127.0.0.1:8123\", password: hunter2}"))
        let r = try p.pipec(["validate", "spec.yaml"])
        #expect(r.exitCode == 0 && r.stderr.contains("[W701]"))
        #expect(try p.pipec(["validate", "spec.yaml", "--strict"]).exitCode == 1)
    }

    // MARK: SPEC.md: tables, tasks and outputs

    // SPEC.md: "Task outputs ...: every task exposes `{{ tasks.NAME.rows }}`, `status`, and kind-specific ones (... `value` for a scalar sql/sensor query, `keys` for object sensors)"
    @Test func taskOutputsValueAndKeys() throws {
        let p = try ContractProject("""
            version: 1
            pipeline: outputs
            resources:
              db: {kind: sqlite, path: w.sqlite}
              inbox: {kind: file, root: in/}
            tables:
              t:
                on: db
                columns: {v: TEXT}
            tasks:
              answer: {kind: sql, on: db, sql: "SELECT 42"}
              seen: {kind: sensor, object: {on: inbox, prefix: "f"}, poke_interval: 1s}
              record:
                kind: sql
                on: db
                after: [answer, seen]
                sql: "INSERT INTO t VALUES ('{{ tasks.answer.value }}'); INSERT INTO t VALUES ('{{ tasks.seen.keys | join(',') }}'); INSERT INTO t VALUES ('{{ tasks.answer.status }}')"

            """, files: ["in/f1.csv": "a\n"])
        let r = try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"])
        #expect(r.exitCode == 0, "\(r.transcript)")
        #expect(try p.sqlite("w.sqlite", "SELECT group_concat(v, '|') FROM t") == "42|f1.csv|success")
    }

    // SPEC.md: "Referencing an output of a task that is not upstream is a compile error."
    @Test func anOutputOfATaskNotUpstreamIsAnError() throws {
        let p = try ContractProject(dailySpec + """
            tasks:
              a: {kind: sql, on: db, sql: "SELECT 1"}
              b: {kind: sql, on: db, sql: "SELECT {{ tasks.a.rows }}"}

            """)
        let r = try p.pipec(["validate", "spec.yaml"])
        #expect(r.exitCode == 1 && r.stderr.contains("[E602]"), "\(r.stderr)")
    }

    // SPEC.md: "staging: false   # true: recreated empty at the start of each run, never exported"
    @Test func aStagingTableIsNeverExported() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "  db: {kind: sqlite, path: w.sqlite}",
                                                                   with: "  db: {kind: sqlite, path: w.sqlite}\n  out: {kind: file, root: out/}")
            .replacingOccurrences(of: "    on: db\n", with: "    on: db\n    staging: true\n") + """
            tasks:
              ex: {kind: export, from: {table: t}, to: {on: out, key: "t.csv"}}

            """)
        let r = try p.pipec(["validate", "spec.yaml"])
        #expect(r.exitCode == 1, "\(r.transcript)")
        #expect(r.stderr.contains("spec.yaml:14:") && r.stderr.contains("staging table") && r.stderr.contains("[E305]"), "\(r.stderr)")
    }

    // SPEC.md: "A view is created after its upstream tables exist and re-created when its SQL changes"
    @Test func aViewFollowsItsSQL() throws {
        let spec = dailySpec + """
              vw:
                on: db
                kind: view
                columns: {v: INTEGER}
                sql: "SELECT v FROM {{ ref('t') }}"

            """
        let p = try ContractProject(spec)
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"]).exitCode == 0)
        #expect(try p.sqlite("w.sqlite", "SELECT v FROM vw") == "1")
        try p.write("spec.yaml", spec.replacingOccurrences(of: "SELECT v FROM {{", with: "SELECT v * 10 AS v FROM {{"))
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-02"]).exitCode == 0)
        #expect(try p.sqlite("w.sqlite", "SELECT v FROM vw") == "10")
    }

    // SPEC.md: "re-created when its SQL changes; a PostgreSQL materialized view is refreshed after its upstream builds in each run"
    @Test func aPostgresMaterializedViewFollowsItsSQL() throws {
        let url = try ContractPostgres.url()
        let schema = "ct_mv_\(UUID().uuidString.prefix(8).lowercased())"
        defer { _ = try? ChildProcess.run("psql", [url, "-X", "-qc", "DROP SCHEMA IF EXISTS \(schema) CASCADE"]) }
        let spec = """
            version: 1
            pipeline: ctmv
            resources:
              pg: {kind: postgres, dsn: "${env:CT_DSN}"}
            tables:
              \(schema).orders:
                on: pg
                columns: {id: INTEGER, amount: INTEGER}
                build: {sql: "SELECT 1 AS id, 10 AS amount UNION ALL SELECT 2, 20", strategy: full}
              \(schema).total:
                on: pg
                kind: materialized_view
                columns: {n: BIGINT}
                sql: "SELECT count(*) AS n FROM {{ ref('\(schema).orders') }}"

            """
        let p = try ContractProject(spec)
        let env = ["CT_DSN": url]
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"], environment: env).exitCode == 0)
        let first = try ChildProcess.run("psql", [url, "-X", "-Atc", "SELECT n FROM \(schema).total"])
        #expect(first.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        try p.write("spec.yaml", spec.replacingOccurrences(of: "SELECT count(*) AS n", with: "SELECT sum(amount) AS n"))
        let second = try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-02"], environment: env)
        #expect(second.exitCode == 0, "\(second.transcript)")
        let after = try ChildProcess.run("psql", [url, "-X", "-Atc", "SELECT n FROM \(schema).total"])
        #expect(after.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "30")
    }

    // SPEC.md: "export: query or table -> object storage"; docs/engines.md: exports are typed (jsonl numbers, Parquet types)
    @Test func exportsFromSQLiteAreTyped() throws {
        let p = try ContractProject("""
            version: 1
            pipeline: typed
            resources:
              db: {kind: sqlite, path: w.sqlite}
              out: {kind: file, root: out/}
            tables:
              t:
                on: db
                columns: {id: INTEGER, name: TEXT, amount: REAL}
                build: {sql: "SELECT 1 AS id, 'a' AS name, 2.5 AS amount", strategy: full}
            tasks:
              ex:
                kind: export
                from: {query: {on: db, sql: "SELECT id, name, amount, id * 2 AS twice FROM {{ ref('t') }}"}}
                to: {on: out, key: "t.jsonl"}

            """)
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"]).exitCode == 0)
        #expect(try p.read("out/t.jsonl") == "{\"id\":1,\"name\":\"a\",\"amount\":2.5,\"twice\":2}\n")
    }

    // docs/plan-format.md: "The plan is everything apply will do" (an http load's until: and poke_interval are in it)
    @Test func anHTTPLoadsReadinessIsInThePlan() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "  db: {kind: sqlite, path: w.sqlite}",
                                                                   with: "  db: {kind: sqlite, path: w.sqlite}\n  api: {kind: http, base_url: \"http://127.0.0.1:9\"}") + """
            tasks:
              fetch:
                kind: load
                from: {http: {on: api, path: /r.csv, format: csv, until: {status: 200, header: Rows-Number}, poke_interval: 30s}}
                into: t
                strategy: full

            """)
        let text = try p.pipec(["compile", "spec.yaml"])
        #expect(text.stdout.contains("until HTTP 200 with header Rows-Number, asking every 30s"), "\(text.stdout)")
        let plan = try p.pipec(["compile", "spec.yaml", "--format", "json"]).stdout
        #expect(plan.contains("\"until\":{\"status\":200,\"header\":\"Rows-Number\",\"poke_interval_ms\":30000}") ||
                plan.contains("\"until\": {\n"), "\(plan.prefix(100))")
        #expect(plan.contains("30000"))
    }

    // SPEC.md: "Completed intervals are kept in the state store, so a rerun does nothing unless `--rerun` is given."
    @Test func aRerunDoesNothingWithoutRerun() throws {
        let p = try ContractProject(dailySpec)
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"]).exitCode == 0)
        let again = try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01", "--format", "json"])
        #expect(try json(again.stdout)["units"] as? [String: Int] == [:], "\(again.stdout)")
        let rerun = try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01", "--rerun", "--format", "json"])
        #expect((try json(rerun.stdout)["units"] as? [String: Int])?["success"] == 1, "\(rerun.stdout)")
    }

    // SPEC.md: "version: 1   # required; unknown versions are an error"
    @Test func anUnknownVersionIsAnError() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "version: 1", with: "version: 2"))
        #expect(try p.pipec(["validate", "spec.yaml"]).stderr.contains("[E107]"))
    }

    // SPEC.md: "A cycle is a compile error that names every member of the cycle with its location."
    @Test func aCycleNamesEveryMember() throws {
        let p = try ContractProject(dailySpec + """
            tasks:
              a: {kind: sql, on: db, sql: "SELECT 1", after: [b]}
              b: {kind: sql, on: db, sql: "SELECT 1", after: [a]}

            """)
        let r = try p.pipec(["validate", "spec.yaml"])
        #expect(r.exitCode == 1 && r.stderr.contains("[E601]") && r.stderr.contains("'a'") && r.stderr.contains("'b'"), "\(r.stderr)")
    }

    // SPEC.md: "Every problem is reported as `file:line:column: error|warning: message [code]`, ... a `help:` line where a fix is known (did-you-mean for misspelt keys and names)."
    @Test func diagnosticsHaveLocationCodeAndDidYouMean() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "build: {sql:", with: "biuld: {sql:"))
        let r = try p.pipec(["validate", "spec.yaml"])
        #expect(r.stderr.contains("spec.yaml:10:5: error:") && r.stderr.contains("[E101]") && r.stderr.contains("help: did you mean 'build'?"), "\(r.stderr)")
    }

    // SPEC.md: "All problems in a file are reported in one run, not only the first." (every error of one template, one diagnostic per mistake)
    @Test func allProblemsAtOnceAndOneDiagnosticPerMistake() throws {
        let p = try ContractProject(dailySpec.replacingOccurrences(of: "SELECT 1 AS v", with: "SELECT {{ undefined_name }} + {{ 1/0 }} + {{ 1 + 'a' }} AS v") + """
              s:
                on: db
                staging: yes
                columns: {v: INTEGER}
                build: {sql: "SELECT 1 AS v", strategy: append}

            """)
        let r = try p.pipec(["validate", "spec.yaml", "--format", "json"])
        let codes = ((try json(r.stdout)["specs"] as? [[String: Any]])?.first?["diagnostics"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
        #expect(codes == ["E502", "E509", "E506", "E103"], "\(r.stdout)")
    }

    // SPEC.md: "A table that a template reads by a bare name instead of `ref()` when that table is produced in this pipeline is a warning."
    @Test func aBareNameReadIsAWarning() throws {
        let p = try ContractProject(dailySpec + """
              u:
                on: db
                columns: {v: INTEGER}
                build:
                  strategy: full
                  sql: |
                    SELECT v
                    FROM t

            """)
        let r = try p.pipec(["validate", "spec.yaml"])
        #expect(r.exitCode == 0 && r.stderr.contains("spec.yaml:18:") && r.stderr.contains("[W702]") && r.stderr.contains("ref('t')"), "\(r.stderr)")
    }

    // SPEC.md: "A table, a task or a group may carry `for_each` ...: the name must contain `{item}`"
    @Test func forEachExpandsAndNeedsItem() throws {
        let p = try ContractProject(dailySpec + """
              "r_{item}":
                for_each: [a, b]
                on: db
                columns: {v: TEXT}
                build: {sql: "SELECT '{{ item.key }}' AS v", strategy: full}

            """)
        #expect(try p.pipec(["apply", "spec.yaml", "--ds", "2025-01-01"]).exitCode == 0)
        #expect(try p.sqlite("w.sqlite", "SELECT v FROM r_b") == "b")
        try p.write("spec.yaml", try p.read("spec.yaml").replacingOccurrences(of: "\"r_{item}\"", with: "r_x"))
        #expect(try p.pipec(["validate", "spec.yaml"]).stderr.contains("[E120]"))
    }

    // MARK: docs/diagnostics.md: one list of codes

    // docs/diagnostics.md: "Codes are stable" — the table lists exactly the codes pipec emits (DiagnosticCode)
    @Test func diagnosticCodesAreOneList() throws {
        let root = CLIHarness.packageRoot
        let doc = try String(contentsOf: root.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
        let documented = Set(doc.split(separator: "\n").compactMap { line -> String? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard line.hasPrefix("| "), let code = cells.first, code.count == 4, code.first == "E" || code.first == "W" else { return nil }
            return code
        })
        let enumerated = Set(DiagnosticCode.allCases.map(\.rawValue))
        #expect(documented == enumerated, "documented, not enumerated: \(documented.subtracting(enumerated).sorted()); enumerated, not documented: \(enumerated.subtracting(documented).sorted())")
        // Every code literal in the sources is enumerated, and every enumerated code is emitted somewhere.
        var emitted = Set<String>()
        let sources = root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" && file.lastPathComponent != "DiagnosticCode.swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            var rest = Substring(text)
            while let quote = rest.firstIndex(of: "\"") {
                let after = rest[rest.index(after: quote)...]
                let candidate = after.prefix(5)
                if candidate.count == 5, candidate.last == "\"", let first = candidate.first, first == "E" || first == "W",
                   candidate.dropFirst().dropLast().allSatisfy(\.isNumber) {
                    emitted.insert(String(candidate.dropLast()))
                }
                rest = after
            }
        }
        #expect(emitted.subtracting(enumerated).isEmpty, "emitted, not enumerated: \(emitted.subtracting(enumerated).sorted())")
        #expect(enumerated.subtracting(emitted).isEmpty, "enumerated, never emitted: \(enumerated.subtracting(emitted).sorted())")
    }
}

/// The PostgreSQL the contract tests use: `PIPEC_TEST_POSTGRES_URL`, else the server `scripts/services/postgres.sh`
/// starts (as the other suites do).
enum ContractPostgres {
    static func url() throws -> String {
        if let url = ProcessInfo.processInfo.environment["PIPEC_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        let script = CLIHarness.packageRoot.appendingPathComponent("scripts/services/postgres.sh").path
        let r = try ChildProcess.run("bash", [script, "start"])
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
