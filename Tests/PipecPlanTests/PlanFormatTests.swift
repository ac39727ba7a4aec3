import Foundation
import PipecDiagnostics
import PipecModel
import PipecPlan
import Testing

/// The plan as a document: deterministic bytes, hashes a reader can check, a JSON form that reads back to the
/// same plan, and no secrets.
@Suite struct PlanFormatTests {
    static let spec = Fixture.spec("""
        tables:
          raw.events: {on: ch, external: true, columns: {id: String, at: DateTime}}
          bronze.events:
            on: ch
            partition_by: toYYYYMMDD(at)
            columns: {id: String, at: DateTime}
            build: {sql: "SELECT id, at FROM {{ source('raw.events') }} WHERE {{ interval_filter('at') }}", strategy: append, interval_column: at}
            checks: [{row_count: {min: 1}}]
          mart.events:
            on: pg
            primary_key: [id]
            columns: {id: text, at: timestamptz}
        tasks:
          copy:
            kind: load
            from: {query: {on: ch, sql: "SELECT id, at FROM {{ ref('bronze.events') }}"}}
            into: mart.events
            strategy: upsert
          wait:
            kind: sensor
            sql: {on: pg, query: "SELECT count(*) > 0 FROM mart.events"}
            after: [copy]
          tell:
            kind: notify
            on: hook
            after: [wait]
            when: "{{ tasks.copy.rows | int > 0 }}"
            subject: "{{ ds }}"
            message: "{{ tasks.copy.rows }} rows"
        """).replacingOccurrences(of: "  lake:", with: "  hook: {kind: email, smtp: \"smtp://127.0.0.1:25\", from: a@example.com, to: [b@example.com]}\n  lake:")

    @Test func sameSpecAndRunsGiveTheSameBytes() throws {
        let a = try Fixture.plan(Self.spec), b = try Fixture.plan(Self.spec)
        #expect(a == b)
        #expect(PlanJSON.encode(a).serialized() == PlanJSON.encode(b).serialized())
        #expect(PlanTextPrinter.print(a) == PlanTextPrinter.print(b))
        #expect(a.planHash.count == 64)
    }

    @Test func hashesCanBeRecomputedFromTheDocument() throws {
        let plan = try Fixture.plan(Self.spec)
        var unhashed = plan
        unhashed.planHash = ""
        #expect(PlanHashing.planHash(unhashed) == plan.planHash)
        for unit in plan.runs[0].units { #expect(PlanHashing.unitHash(unit) == unit.contentHash) }
        // A unit's hash is about what it does, not which stage the graph puts it in.
        var moved = plan.runs[0].units[0]
        moved.stage += 5
        #expect(PlanHashing.unitHash(moved) == plan.runs[0].units[0].contentHash)
    }

    @Test func differentIntervalsGiveDifferentUnitsButTheSameSpecHash() throws {
        let a = try Fixture.plan(Self.spec, ds: "2025-03-01"), b = try Fixture.plan(Self.spec, ds: "2025-03-02")
        #expect(a.specHash == b.specHash)
        #expect(a.planHash != b.planHash)
        #expect(a.runs[0].units.first { $0.id == "bronze.events" }?.contentHash != b.runs[0].units.first { $0.id == "bronze.events" }?.contentHash)
        // The sensor does not depend on the interval.
        #expect(a.runs[0].units.first { $0.id == "wait" }?.contentHash == b.runs[0].units.first { $0.id == "wait" }?.contentHash)
    }

    @Test func jsonReadsBackToTheSamePlan() throws {
        let plan = try Fixture.plan(Self.spec)
        let text = PlanJSON.encode(plan).serialized()
        let read = try PlanJSONDecoder.decode(text)
        #expect(read == plan)
        #expect(PlanJSON.encode(read).serialized() == text)
    }

    @Test func editedPlansAreRefused() throws {
        let text = PlanJSON.encode(try Fixture.plan(Self.spec)).serialized()
        let edited = text.replacingOccurrences(of: "observed < 1", with: "observed < 0")
        #expect(edited != text)
        #expect(throws: PlanJSONDecoder.Problem.self) { try PlanJSONDecoder.decode(edited) }
        do {
            _ = try PlanJSONDecoder.decode(text.replacingOccurrences(of: "\"format_version\": 1", with: "\"format_version\": 2"))
            Issue.record("a plan of an unknown version was read")
        } catch {
            #expect(error.message == "plan format version 2 is not supported; this pipec reads version 1")
        }
    }

    @Test func runsAndStagesAreInExecutionOrder() throws {
        let plan = try Fixture.plan(Self.spec)
        let run = try #require(plan.runs.first)
        #expect(run.units.map(\.id) == ["bronze.events", "copy", "wait", "tell"])
        #expect(run.units.map(\.stage) == [1, 2, 3, 4])
        #expect(run.units.first { $0.id == "tell" }?.upstream == ["wait"])
        #expect(run.units.first { $0.id == "copy" }?.policy.maxActiveRuns == 1)
        #expect(PlanSummary(plan).line == "Plan: 2 tables to ensure, 1 build and 3 tasks over 1 run.")
    }

    @Test func backfillsPlanEveryRun() throws {
        let p = try Fixture.pipeline(Self.spec)
        let runs = try RunSelection.range(from: "2025-03-01", to: "2025-03-03").runs(for: p)
        let plan = try PlanCompiler.compile(p, runs: runs, options: PlanOptions(specText: Self.spec))
        #expect(plan.runs.map(\.ds) == ["2025-03-01", "2025-03-02", "2025-03-03"])
        #expect(plan.runs.map(\.index) == [1, 2, 3])
        #expect(PlanSummary(plan).line == "Plan: 2 tables to ensure, 3 builds and 9 tasks over 3 runs.")
    }

    @Test func secretsNeverEnterThePlan() throws {
        let text = """
            version: 1
            pipeline: s
            resources:
              ch: {kind: clickhouse, url: "http://localhost:8123", password: "${env:CH_PASSWORD}"}
            tables:
              t:
                on: ch
                columns: {x: String}
                build: {sql: "SELECT '{{ env('CH_PASSWORD') }}' AS x", strategy: full}
            """
        let p = try Fixture.pipeline(text)
        let runs = try RunSelection.first.runs(for: p)
        let environment = ["CH_PASSWORD": "correct-horse-battery"]
        let resolved = try PlanCompiler.compile(p, runs: runs, options: PlanOptions(environment: environment, secretEnvironment: environment, specText: text))
        let json = PlanJSON.encode(resolved).serialized()
        #expect(!json.contains("correct-horse-battery"))
        #expect(json.contains("SELECT '***' AS x"))
        #expect(resolved.resources[0].settings.first { $0.key == "password" }?.value == "***")
        #expect(resolved.environmentReferences == ["CH_PASSWORD"])
        let unresolved = try PlanCompiler.compile(p, runs: runs, options: PlanOptions(secretEnvironment: environment, specText: text))
        #expect(PlanJSON.encode(unresolved).serialized().contains("SELECT '${env:CH_PASSWORD}' AS x"))
        #expect(!unresolved.resolved)
    }

    /// Validation renders templates for the schedule's first run; a template that fails only for the run
    /// being compiled is reported by the compile, at the template.
    @Test func templateErrorsOfTheCompiledRunAreCompileErrors() throws {
        let errors = try Fixture.errors(Fixture.spec("""
            tables:
              t:
                on: pg
                columns: {x: int}
                build: {sql: "SELECT {% if ds == '2025-03-01' %}{{ 1 / 0 }}{% else %}1{% endif %} AS x", strategy: full}
            """))
        #expect(errors.map(\.code) == ["E509"])
        #expect(errors.first?.location?.line == 14)
    }
}
