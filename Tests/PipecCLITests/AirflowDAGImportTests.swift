import Foundation
import PipecDiagnostics
import PipecModel
import PipecTestSupport
import Testing

/// `pipec emit airflow` against real Airflow: every spec in specs/ and examples/ (and one with hostile text) is
/// emitted and imported by Airflow's own DagBag, on Airflow 3.x and 2.10 (venvs made once per machine by
/// scripts/airflow-venv.sh), and what Airflow built is compared with pipec's graph: task ids, edges, trigger rules,
/// schedule, retries, timeouts, pools.
@Suite(.serialized) struct AirflowDAGImportTests {
    struct Dump: Decodable {
        var import_errors: [String: String]
        var dags: [String: DAG]
    }

    struct DAG: Decodable {
        var timetable: String
        var expression: String?
        var timezone: String?
        var start_date: String?
        var end_date: String?
        var catchup: Bool
        var max_active_runs: Int
        var tags: [String]
        var description: String?
        var tasks: [String: Task]
    }

    struct Task: Decodable {
        var `operator`: String
        var upstream: [String]
        var trigger_rule: String
        var retries: Int
        var retry_delay: Double?
        var retry_exponential_backoff: Bool
        var max_retry_delay: Double?
        var execution_timeout: Double?
        var pool: String
        var depends_on_past: Bool
        var owner: String?
        var group: String?
        var bash_command: String?
        var doc_md: String?
    }

    static let hostileSpec = #"""
        version: 1
        pipeline: hostile_text
        description: "quotes \" ' \"\"\" backslash \\ \\n newline\nand tab\t, dollar $HOME ${PIPEC_BIN} {{ ds }} {% raw %} ünïcödé ✓ \u2028 end"
        owner: "o'brien \"the\" owner"
        tags: ["a\"b", "c\\d", "{{ ds }}"]
        schedule: {cron: "@daily", start: 2025-01-01, semantics: airflow3, timezone: Europe/Amsterdam, max_active_runs: 3}
        pools: {"slow-pool": 2}
        defaults: {retries: 3, retry_delay: 2s, retry_backoff: exponential, max_retry_delay: 1m, timeout: 90s}
        resources:
          db: {kind: sqlite, path: hostile.sqlite}
        groups:
          "g": {description: "group \"g\"\nsecond line"}
        tasks:
          first:
            kind: sql
            on: db
            sql: "SELECT 1"
            group: g
            description: "it's a \"task\"\\"
            pool: slow-pool
          second: {kind: sql, on: db, sql: "SELECT 2", after: [first], retries: 0, depends_on_past: true}
          third: {kind: sql, on: db, sql: "SELECT 3", after: [second], trigger_rule: one_failed}
        """#

    /// Every shipped spec plus the hostile one, emitted into one folder.
    static func emitAll() throws -> (folder: URL, specs: [URL]) {
        let root = CLIHarness.packageRoot
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-airflow-dags-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let hostile = folder.appendingPathComponent("hostile_text.yaml")
        try Data(hostileSpec.utf8).write(to: hostile)
        var specs: [URL] = []
        for dir in ["specs", "examples"] {
            let base = root.appendingPathComponent(dir)
            let found = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
            specs += found.filter { $0.hasSuffix(".yaml") }.sorted().map { base.appendingPathComponent($0) }
        }
        specs.append(hostile)
        for spec in specs {
            let name = spec.deletingPathExtension().lastPathComponent
            let result = try CLIHarness.run(["emit", "airflow", spec.path, "-o", folder.appendingPathComponent("\(name).py").path,
                                             "--pools", folder.appendingPathComponent("\(name).pools").path], in: root)
            #expect(result.exitCode == 0, "\(spec.lastPathComponent): \(result.stderr)")
        }
        return (folder, specs)
    }

    static func dump(_ folder: URL, airflow version: Int) throws -> Dump {
        let venv = try AirflowVenv.path(version)
        let out = folder.appendingPathComponent("dump-\(version).json")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-airflow-home-\(UUID().uuidString)")
        let result = try ChildProcess.run(venv + "/bin/python", [CLIHarness.packageRoot.appendingPathComponent("scripts/airflow_dag_dump.py").path,
                                                                 folder.path, out.path],
                                          environment: ["AIRFLOW_HOME": home.path, "AIRFLOW__CORE__LOAD_EXAMPLES": "False"], limit: 300)
        try? FileManager.default.removeItem(at: home)
        guard result.exitCode == 0 else { throw AirflowVenv.Failure(message: "DagBag dump failed: \(result.stderr)") }
        return try JSONDecoder().decode(Dump.self, from: Data(contentsOf: out))
    }

    @Test(arguments: [3, 2])
    func everySpecImportsWithItsGraph(airflow version: Int) throws {
        let (folder, specs) = try Self.emitAll()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dump = try Self.dump(folder, airflow: version)
        #expect(dump.import_errors.isEmpty, "Airflow \(version): \(dump.import_errors)")
        for spec in specs {
            let loaded = SpecLoader.load(path: spec.path, sources: SourceFiles())
            let pipeline = try #require(loaded.pipeline, "\(spec.path)")
            let dag = try #require(dump.dags[pipeline.name.value], "Airflow \(version) has no DAG \(pipeline.name.value)")
            try Self.compare(pipeline, dag, airflow: version)
        }
        // The hostile text arrives in Airflow exactly as written in the spec.
        let hostile = try #require(dump.dags["hostile_text"])
        let pipeline = try #require(SpecLoader.load(path: folder.appendingPathComponent("hostile_text.yaml").path, sources: SourceFiles()).pipeline)
        #expect(hostile.description == pipeline.description)
        #expect(hostile.tags == pipeline.tags.sorted())
        #expect(hostile.tasks["first"]?.owner == pipeline.owner)
        #expect(hostile.tasks["first"]?.doc_md == pipeline.task("first")?.description)
        #expect(hostile.tasks["first"]?.pool == "slow-pool")
        #expect(hostile.timetable == "CronTriggerTimetable")
        #expect(hostile.timezone == "Europe/Amsterdam")
        #expect(hostile.max_active_runs == 3)
        #expect(hostile.tasks["first"]?.retry_exponential_backoff == true)
        #expect(hostile.tasks["first"]?.max_retry_delay == 60)
        #expect(hostile.tasks["first"]?.execution_timeout == 90)
        #expect(hostile.tasks["second"]?.depends_on_past == true)
        #expect(hostile.tasks["second"]?.retries == 0)
        #expect(hostile.tasks["third"]?.trigger_rule == "one_failed")
        let pools = try String(contentsOf: folder.appendingPathComponent("hostile_text.pools"), encoding: .utf8)
        #expect(pools.contains("\"slow-pool\": {\"slots\": 2"))
    }

    /// What Airflow built against pipec's model and graph, derived here independently of the emitter.
    static func compare(_ pipeline: Pipeline, _ dag: DAG, airflow version: Int) throws {
        let name = pipeline.name.value
        var diagnostics: [Diagnostic] = []
        let graph = GraphBuilder.build(pipeline, diagnostics: &diagnostics)
        let gates = Set(dag.tasks.keys.filter { $0.hasSuffix("__ordered") })
        let setup = "pipec__setup"
        var expectedIDs = Set(graph.units.map(\.name)).union(gates)
        for table in pipeline.tables where !table.checks.isEmpty && (graph.producers[table.name.value] ?? []).isEmpty { expectedIDs.insert(table.name.value) }
        expectedIDs.insert(setup)
        #expect(Set(dag.tasks.keys) == expectedIDs, "\(name) on Airflow \(version): task ids")

        for unit in graph.units {
            let task = try #require(dag.tasks[unit.name], "\(name): no task \(unit.name)")
            #expect(task.operator == "BashOperator")
            #expect(task.bash_command?.contains(" run \"${PIPEC_SPEC:-") == true)
            let deps = graph.upstream[unit] ?? []
            let policy = pipeline.task(unit.name)?.policy ?? pipeline.defaults
            // Every graph edge, directly or through the unit's ordering gate; no other edge.
            let gate = task.upstream.first { gates.contains($0) }
            let reached = Set(task.upstream.filter { $0 != gate && $0 != setup }).union(gate.flatMap { dag.tasks[$0]?.upstream } ?? [])
            #expect(reached == Set(deps.map(\.upstream.name)), "\(name): edges into \(unit.name)")
            if deps.isEmpty { #expect(task.upstream == [setup], "\(name): \(unit.name) starts after the setup task") }
            if let gate {
                let gated = Set(dag.tasks[gate]?.upstream ?? [])
                #expect(gated == Set(deps.filter { $0.kind == .ordering }.map(\.upstream.name)), "\(name): \(gate) waits for the ordering upstreams")
                #expect(dag.tasks[gate]?.trigger_rule == "none_failed")
            }
            let expectedRule: String
            if policy.triggerRule != .allSuccess {
                expectedRule = policy.triggerRule.rawValue
            } else if !deps.isEmpty && deps.allSatisfy({ $0.kind == .ordering }) {
                expectedRule = "none_failed"
            } else {
                expectedRule = "all_success"
            }
            #expect(task.trigger_rule == expectedRule, "\(name): trigger rule of \(unit.name)")
            #expect(task.retries == policy.retries, "\(name): retries of \(unit.name)")
            #expect(task.retry_delay == Double(policy.retryDelayMilliseconds) / 1000, "\(name): retry_delay of \(unit.name)")
            #expect(task.retry_exponential_backoff == (policy.retryBackoff == .exponential))
            #expect(task.depends_on_past == policy.dependsOnPast)
            var soft = false
            if case .sensor(let s) = pipeline.task(unit.name)?.body { soft = s.softFail }
            #expect(task.execution_timeout == policy.timeoutMilliseconds.map { Double($0 + (soft ? 60_000 : 0)) / 1000 }, "\(name): timeout of \(unit.name)")
            #expect(task.pool == (policy.pool?.value ?? "default_pool"), "\(name): pool of \(unit.name)")
            let group = pipeline.task(unit.name)?.group?.value ?? pipeline.table(unit.name)?.group?.value
            #expect(task.group == group, "\(name): TaskGroup of \(unit.name)")
        }

        #expect(dag.description == pipeline.description)
        #expect(dag.tags == pipeline.tags.sorted())
        guard let spec = pipeline.schedule else {
            #expect(dag.timetable == "NullTimetable")
            return
        }
        #expect(dag.catchup == spec.schedule.catchup)
        #expect(dag.max_active_runs == spec.maxActiveRuns)
        if case .cron = spec.schedule.kind {
            #expect(dag.timetable == (spec.schedule.semantics == .airflow2 ? "CronDataIntervalTimetable" : "CronTriggerTimetable"), "\(name): timetable")
            let presets = ["@hourly": "0 * * * *", "@daily": "0 0 * * *", "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *"]
            let cron = spec.cronText?.value ?? ""
            #expect(dag.expression == (presets[cron] ?? cron), "\(name): cron")
            #expect(dag.timezone == spec.schedule.zone.identifier)
        }
        if let start = spec.schedule.start {
            #expect(dag.start_date.map { $0.replacingOccurrences(of: "+00:00", with: "Z") } == start.description.replacingOccurrences(of: ".000000", with: ""),
                    "\(name): start_date")
        }
    }
}

/// The Airflow venvs (scripts/airflow-venv.sh; created once per machine, outside the clone).
enum AirflowVenv {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func path(_ version: Int) throws -> String {
        let script = CLIHarness.packageRoot.appendingPathComponent("scripts/airflow-venv.sh").path
        let output = try ProcessRunner.run("bash", [script, String(version)])
        let venv = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard output.status == 0, !venv.isEmpty else {
            throw Failure(message: "no Airflow \(version): scripts/airflow-venv.sh failed with exit status \(output.status): \(output.stderr)")
        }
        return venv
    }
}
