import Foundation
import PipecDiagnostics
import PipecModel
import PipecPlan
import Testing
@testable import PipecExec

/// Saved plans: recognised by content, refused when stale (naming what changed), and their `${env:...}`
/// references filled in from the applying environment.
struct SavedPlanTests {
    @Test func plansAreRecognisedByContent() throws {
        let project = try PlanFixture()
        let text = PlanJSON.encode(try project.compile()).serialized()
        #expect(SavedPlan.looksLikePlan(text))
        #expect(SavedPlan.looksLikePlan("  \n" + text.prefix(200)))
        #expect(!SavedPlan.looksLikePlan(project.specText))
        #expect(!SavedPlan.looksLikePlan(#"{"version": 1, "pipeline": "p", "tables": {}}"#))
        #expect(!SavedPlan.looksLikePlan(#"{format: pipec-plan}"#))
    }

    @Test func aCurrentPlanGivesBackItsRuns() throws {
        let project = try PlanFixture()
        let saved = try project.compile()
        let runs = try StalePlanCheck.check(saved, pipeline: try project.pipeline(), specText: project.specText, environment: [:])
        #expect(runs.map(\.runId) == saved.runs.map(\.runId))
        #expect(runs == (try RunSelection.range(from: "2025-01-01", to: "2025-01-02").runs(for: try project.pipeline())))
    }

    @Test func aSpecEditNamesTheChangedUnits() throws {
        let project = try PlanFixture()
        let saved = try project.compile()
        try project.use("added_column")
        let error = #expect(throws: StalePlan.self) {
            try StalePlanCheck.check(saved, pipeline: try project.pipeline(), specText: project.specText, environment: [:])
        }
        let reasons = error?.reasons ?? []
        #expect(reasons.count == 3)
        #expect(reasons.first?.hasPrefix("the spec file or its templates changed since the plan was made") == true)
        #expect(reasons.contains("setup (ensure) changed: table events (changed)"))
        #expect(reasons.contains("changed units: events"))
    }

    @Test func aTemplateEditIsStaleToo() throws {
        let project = try PlanFixture()
        let saved = try project.compile()
        let template = project.dir.appendingPathComponent("templates/daily.sql")
        try (try String(contentsOf: template, encoding: .utf8) + "HAVING sum(n) > 0\n").write(to: template, atomically: true, encoding: .utf8)
        let error = #expect(throws: StalePlan.self) {
            try StalePlanCheck.check(saved, pipeline: try project.pipeline(), specText: project.specText, environment: [:])
        }
        #expect(error?.reasons.last == "changed units: daily")
        #expect(error?.description.hasPrefix("the plan is stale (compile it again):\n  - the spec file") == true)
    }

    @Test func aScheduleChangeLosesTheRuns() throws {
        let project = try PlanFixture()
        let saved = try project.compile()
        let edited = project.specText.replacingOccurrences(of: #"cron: "@daily""#, with: #"cron: "0 6 * * *""#)
        try edited.write(toFile: project.specPath, atomically: true, encoding: .utf8)
        let error = #expect(throws: StalePlan.self) {
            try StalePlanCheck.check(saved, pipeline: try project.pipeline(), specText: edited, environment: [:])
        }
        // docs/cli.md's wording for this reason: "the schedule no longer has the plan's runs".
        #expect(error?.reasons.last == "the schedule no longer has the plan's runs: scheduled__2025-01-01T00:00:00+00:00, scheduled__2025-01-02T00:00:00+00:00")
    }

    @Test func anotherPipelineIsRefused() throws {
        let saved = try PlanFixture().compile()
        let other = try PlanFixture("environment")
        let error = #expect(throws: StalePlan.self) {
            try StalePlanCheck.check(saved, pipeline: try other.pipeline(), specText: other.specText, environment: [:])
        }
        #expect(error?.reasons.first?.hasPrefix("the plan is for pipeline plancase") == true)
    }

    @Test func environmentReferencesAreFilledByACompileWithTheEnvironment() throws {
        let project = try PlanFixture("environment")
        let saved = try project.compile(.ds("2025-01-01"))
        #expect(saved.environmentReferences == ["PLAN_LABEL"])
        let pipeline = try project.pipeline()
        let runs = try StalePlanCheck.check(saved, pipeline: pipeline, specText: project.specText, environment: [:])
        #expect(runs.map(\.runId) == ["manual__2025-01-01T00:00:00+00:00"])

        let filled = try SavedPlanEnvironment.filled(saved, pipeline: pipeline, runs: runs, specText: project.specText, environment: ["PLAN_LABEL": "it's"])
        let labels = try #require(filled.runs.first?.units.first { $0.id == "labels" })
        let statements = labels.steps.compactMap { step -> [String]? in if case .sql(let s) = step { return s.statements } else { return nil } }.flatMap { $0 }
        #expect(statements.contains { $0.contains("SELECT 'it''s' AS label") })
        #expect(!statements.contains { $0.contains("${env:") })
        // A unit without references is the saved one, untouched.
        #expect(filled.runs.first?.units.first { $0.id == "copies" } == saved.runs.first?.units.first { $0.id == "copies" })

        let missing = #expect(throws: EngineError.self) {
            try SavedPlanEnvironment.filled(saved, pipeline: pipeline, runs: runs, specText: project.specText, environment: [:])
        }
        #expect(missing?.message.contains("PLAN_LABEL is not set") == true)
        let resolved = try project.compile(.ds("2025-01-01"), environment: ["PLAN_LABEL": "x"])
        #expect(try SavedPlanEnvironment.filled(resolved, pipeline: pipeline, runs: runs, specText: project.specText, environment: [:]) == resolved)
    }
}
