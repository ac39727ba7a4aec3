import Foundation
import PipecTestSupport
import Testing

/// A temporary copy of a project under Tests/Fixtures/plan/, driven through the real `pipec` binary.
final class PlanProject {
    static let fixtures = CLIHarness.packageRoot.appendingPathComponent("Tests/Fixtures/plan")
    let dir: URL

    init(_ name: String = "base") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-plan-cli-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name), to: dir)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Puts fixture `variant`'s spec.yaml in place of this project's.
    func use(_ variant: String) throws {
        let target = dir.appendingPathComponent("spec.yaml")
        try FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("\(variant)/spec.yaml"), to: target)
    }

    /// `pipec ARGS` in the project folder, with the default state store.
    func pipec(_ arguments: String..., environment: [String: String] = [:]) throws -> CLIHarness.Result {
        try CLIHarness.run(arguments, in: dir, environment: ["PIPEC_STATE": ""].merging(environment) { _, b in b })
    }

    /// The sqlite3 command-line shell on the project's warehouse: an independent reader of what pipec wrote.
    func sqlite(_ sql: String) throws -> String {
        let done = try ChildProcess.run("/usr/bin/sqlite3", [dir.appendingPathComponent(".pipec/warehouse.sqlite").path, sql])
        return done.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func lines(_ result: CLIHarness.Result) -> [String] {
        result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// `pipec plan` and `pipec apply PLAN.json` end to end, on SQLite projects in temporary folders.
struct PlanCommandTests {
    @Test func aFreshProjectHasEverythingToDo() throws {
        let project = try PlanProject()
        let result = try project.pipec("plan", "spec.yaml", "--detailed-exitcode")
        #expect(result.exitCode == 2, "\(result.transcript)")
        #expect(project.lines(result) == [
            "Plan for plancase (spec.yaml), against the live databases and the state store sqlite:./.pipec/state.sqlite:",
            "+ create table events (local)",
            "+ create table daily (local)",
            "> run interval scheduled__2025-01-01T00:00:00+00:00 (ds 2025-01-01): 2 units",
            "> run interval scheduled__2025-01-02T00:00:00+00:00 (ds 2025-01-02): 2 units",
            "Plan: 2 tables to create, 0 to alter, 2 intervals to run.",
        ])
        // Planning reads only: no state store, no warehouse file.
        #expect(!FileManager.default.fileExists(atPath: project.dir.appendingPathComponent(".pipec").path))
        #expect(try project.pipec("plan", "spec.yaml").exitCode == 0)
    }

    @Test func afterApplyThereIsNothingToDo() throws {
        let project = try PlanProject()
        let apply = try project.pipec("apply", "spec.yaml")
        #expect(apply.exitCode == 0, "\(apply.transcript)")
        let plan = try project.pipec("plan", "spec.yaml", "--detailed-exitcode")
        #expect(plan.exitCode == 0, "\(plan.transcript)")
        #expect(plan.stdout.hasSuffix("Plan: 0 tables to create, 0 to alter, 0 intervals to run.\n"))
        let rerun = try project.pipec("plan", "spec.yaml", "--ds", "2025-01-02", "--rerun", "--detailed-exitcode", "--format", "json")
        #expect(rerun.exitCode == 2)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(rerun.stdout.utf8)) as? [String: Any])
        let intervals = try #require(json["intervals"] as? [[String: Any]])
        #expect(intervals.map { $0["ds"] as? String } == ["2025-01-02"])
        #expect((json["summary"] as? [String: Int]) == ["create": 0, "alter": 0, "breaking": 0, "intervals": 1])
    }

    @Test func anAddedColumnIsAlteredIn() throws {
        let project = try PlanProject()
        #expect(try project.pipec("apply", "spec.yaml").exitCode == 0)
        try project.use("added_column")
        let plan = try project.pipec("plan", "spec.yaml", "--detailed-exitcode")
        #expect(plan.exitCode == 2, "\(plan.transcript)")
        #expect(project.lines(plan).contains("~ alter table events: add column channel TEXT"))
        #expect(plan.stdout.contains("Plan: 0 tables to create, 1 to alter, 0 intervals to run."))

        let apply = try project.pipec("apply", "spec.yaml")
        #expect(apply.exitCode == 0, "\(apply.transcript)")
        #expect(apply.stdout.contains("altered table events: added 1 column(s)"))
        #expect(try project.sqlite("SELECT name || ' ' || type FROM pragma_table_info('events')") == "event_date DATE\nn INTEGER\nchannel TEXT")
        #expect(try project.pipec("plan", "spec.yaml", "--detailed-exitcode").exitCode == 0)
        // The builds fill the new column from now on.
        #expect(try project.pipec("apply", "spec.yaml", "--ds", "2025-01-02", "--rerun").exitCode == 0)
        #expect(try project.sqlite("SELECT group_concat(channel, ',') FROM (SELECT channel FROM events WHERE event_date = '2025-01-02' ORDER BY n)") == "web,app")
    }

    @Test func aRetypedColumnIsRefusedUnlessAllowed() throws {
        let project = try PlanProject()
        #expect(try project.pipec("apply", "spec.yaml").exitCode == 0)
        try project.use("retyped_column")
        let plan = try project.pipec("plan", "spec.yaml", "--detailed-exitcode")
        #expect(plan.exitCode == 1, "\(plan.transcript)")
        #expect(project.lines(plan).contains("! table events: column n is INTEGER in the database, TEXT in the spec (breaking)"))
        #expect(plan.stderr.contains("apply would refuse 1 breaking difference(s)"))

        let refused = try project.pipec("apply", "spec.yaml", "--ds", "2025-01-01", "--rerun")
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("the live tables do not match the spec"))
        #expect(refused.stderr.contains("table events (local): column n is INTEGER in the database, TEXT in the spec"))
        #expect(try project.sqlite("SELECT type FROM pragma_table_info('events') WHERE name = 'n'") == "INTEGER")

        #expect(try project.pipec("plan", "spec.yaml", "--allow-breaking", "--detailed-exitcode").exitCode == 0)
        let allowed = try project.pipec("apply", "spec.yaml", "--ds", "2025-01-01", "--rerun", "--allow-breaking")
        #expect(allowed.exitCode == 0, "\(allowed.transcript)")
        #expect(allowed.stdout.contains("left as it is: --allow-breaking"))
    }

    @Test func aSavedPlanIsCarriedOut() throws {
        let project = try PlanProject()
        let compile = try project.pipec("compile", "spec.yaml", "--ds", "2025-01-01", "--format", "json", "-o", "reviewed.plan")
        #expect(compile.exitCode == 0, "\(compile.transcript)")
        // Recognised by its content, whatever its name.
        let apply = try project.pipec("apply", "reviewed.plan")
        #expect(apply.exitCode == 0, "\(apply.transcript)")
        #expect(apply.stdout.contains("applying the saved plan reviewed.plan"))
        #expect(try project.sqlite("SELECT event_date || ':' || total FROM daily") == "2025-01-01:3")
        // Only its interval ran: the other one is still due.
        let plan = try project.pipec("plan", "spec.yaml")
        #expect(project.lines(plan).filter { $0.hasPrefix(">") } == ["> run interval scheduled__2025-01-02T00:00:00+00:00 (ds 2025-01-02): 2 units"])
        #expect(try project.pipec("apply", "reviewed.plan", "--ds", "2025-01-02").exitCode == 2)
    }

    @Test func aSavedPlanIsRefusedAfterTheSpecChanged() throws {
        let project = try PlanProject()
        #expect(try project.pipec("compile", "spec.yaml", "--ds", "2025-01-01", "--format", "json", "-o", "plan.json").exitCode == 0)
        try project.use("added_column")
        let apply = try project.pipec("apply", "plan.json")
        #expect(apply.exitCode == 1)
        #expect(apply.stderr.contains("plan.json: the plan is stale (compile it again):"))
        #expect(apply.stderr.contains("- the spec file or its templates changed since the plan was made"))
        #expect(apply.stderr.contains("- changed units: events"))
        #expect(!FileManager.default.fileExists(atPath: project.dir.appendingPathComponent(".pipec/warehouse.sqlite").path))
    }

    @Test func aSavedPlanIsRefusedAfterTheLiveTablesChanged() throws {
        let project = try PlanProject()
        #expect(try project.pipec("apply", "spec.yaml", "--ds", "2025-01-01").exitCode == 0)
        #expect(try project.pipec("compile", "spec.yaml", "--ds", "2025-01-02", "--format", "json", "-o", "plan.json").exitCode == 0)
        _ = try project.sqlite("ALTER TABLE daily ADD COLUMN note TEXT")
        let apply = try project.pipec("apply", "plan.json")
        #expect(apply.exitCode == 1)
        #expect(apply.stderr.contains("the plan is stale: the live tables no longer match it"))
        #expect(apply.stderr.contains("table daily (local): column note (TEXT) is in the database but not in the spec"))
        #expect(try project.sqlite("SELECT count(*) FROM daily") == "1")
    }

    @Test func anEditedPlanIsRefused() throws {
        let project = try PlanProject()
        #expect(try project.pipec("compile", "spec.yaml", "--ds", "2025-01-01", "--format", "json", "-o", "plan.json").exitCode == 0)
        let path = project.dir.appendingPathComponent("plan.json")
        let text = try String(contentsOf: path, encoding: .utf8)
        try text.replacingOccurrences(of: "1 AS n", with: "7 AS n").write(to: path, atomically: true, encoding: .utf8)
        let apply = try project.pipec("apply", "plan.json")
        #expect(apply.exitCode == 1)
        #expect(apply.stderr.contains("unit 'events' does not match its sha256: the plan was changed after it was made"))
    }

    @Test func aSavedPlanFillsInItsEnvironmentReferences() throws {
        let project = try PlanProject("environment")
        #expect(try project.pipec("compile", "spec.yaml", "--ds", "2025-01-01", "--format", "json", "-o", "plan.json").exitCode == 0)
        let apply = try project.pipec("apply", "plan.json", environment: ["PLAN_LABEL": "it's"])
        #expect(apply.exitCode == 0, "\(apply.transcript)")
        #expect(try project.sqlite("SELECT label FROM labels") == "it's")
    }

    @Test func anUnreachableDatabaseExits3() throws {
        let project = try PlanProject("unreachable")
        let result = try project.pipec("plan", "spec.yaml")
        #expect(result.exitCode == 3, "\(result.transcript)")
        #expect(result.stderr.contains("error: cannot read the live tables of resource 'db': cannot connect to PostgreSQL"))
    }
}
