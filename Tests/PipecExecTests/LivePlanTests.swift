import Foundation
import PipecModel
import PipecPlan
import Testing
@testable import PipecExec

/// `LivePlanner` and the schema gate of apply, against real SQLite files: what plan reports is what apply does.
struct LivePlanTests {
    @Test func aFreshProjectHasEverythingToCreateAndWritesNothing() throws {
        let project = try PlanFixture()
        let plan = try LivePlanner.plan(try project.pipeline(), options: project.options())
        #expect(plan.toCreate.map(\.object.name) == ["events", "daily"])
        #expect(plan.intervals.map(\.ds) == ["2025-01-01", "2025-01-02"])
        #expect(plan.intervals.allSatisfy { $0.units == ["events", "daily"] })
        #expect(plan.hasChanges && !plan.refused)
        #expect(!FileManager.default.fileExists(atPath: project.dir.appendingPathComponent(".pipec").path))
    }

    @Test func afterApplyNothingIsLeft() throws {
        let project = try PlanFixture()
        #expect(try project.apply(project.options()).status == .success)
        let plan = try LivePlanner.plan(try project.pipeline(), options: project.options())
        #expect(plan.objects.allSatisfy { $0.drift == .matching })
        #expect(plan.intervals.isEmpty && !plan.hasChanges)
        var rerun = project.options()
        rerun.rerun = true
        rerun.only = ["daily"]
        #expect(try LivePlanner.plan(try project.pipeline(), options: rerun).intervals.map(\.units) == [["daily"], ["daily"]])
    }

    @Test func applyAddsAColumnTheSpecGained() throws {
        let project = try PlanFixture()
        _ = try project.apply(project.options())
        try project.use("added_column")
        let plan = try LivePlanner.plan(try project.pipeline(), options: project.options())
        #expect(plan.toAlter.map(\.object.name) == ["events"])
        #expect(plan.toAlter.first?.statements == ["ALTER TABLE events ADD COLUMN channel TEXT"])
        #expect(plan.hasChanges && plan.intervals.isEmpty)

        let outcome = try project.apply(project.options())
        #expect(outcome.status == .success && outcome.runs == 0)
        let columns = try #require(try project.warehouse().describeTable("events"))
        #expect(columns.map(\.name) == ["event_date", "n", "channel"])
        #expect(try !LivePlanner.plan(try project.pipeline(), options: project.options()).hasChanges)
    }

    @Test func applyRefusesBreakingDriftUnlessAllowed() throws {
        let project = try PlanFixture()
        _ = try project.apply(project.options())
        try project.warehouse().execute("ALTER TABLE events ADD COLUMN legacy TEXT", cancel: CancellationFlag())
        var options = project.options()
        options.rerun = true
        let plan = try LivePlanner.plan(try project.pipeline(), options: options)
        #expect(plan.breaking.map(\.difference) == [.notInSpec(column: "legacy", live: "TEXT")])
        #expect(plan.refused)

        let error = #expect(throws: EngineError.self) { try project.apply(options) }
        #expect(error?.message.contains("table events (local): column legacy (TEXT) is in the database but not in the spec") == true)
        options.allowBreaking = true
        #expect(try project.apply(options).status == .success)
        #expect(try LivePlanner.plan(try project.pipeline(), options: project.options()).breaking.count == 1)
    }

    @Test func theQuarantineTableGainsTheColumnsOfItsTable() throws {
        let statuses = [ObjectStatus(object: ExpectedObject(kind: .quarantineTable, name: "t__quarantine", resource: "local", dialect: .sqlite,
                                                            columns: [ExpectedColumn(name: "c", type: "TEXT")], comparison: .columnNames),
                                     drift: .drifted(missingColumns: [ExpectedColumn(name: "c", type: "TEXT")], breaking: []))]
        let gate = SchemaGate(statuses: statuses)
        #expect(gate.alterations.map(\.statements) == [["ALTER TABLE t__quarantine ADD COLUMN c TEXT"]])
        #expect(gate.hasChanges && gate.breaking.isEmpty)
    }

    @Test func thePrinterWritesTerraformStyleLines() {
        let events = ExpectedObject(kind: .table, name: "events", resource: "local", dialect: .sqlite, columns: [], comparison: .columns)
        let view = ExpectedObject(kind: .view, name: "v_daily", resource: "local", dialect: .sqlite, columns: [], comparison: .existence)
        let plan = LivePlan(pipeline: "p", specFile: "spec.yaml", state: "sqlite:.pipec/state.sqlite",
                            objects: [ObjectStatus(object: view, drift: .missing),
                                      ObjectStatus(object: events, drift: .drifted(missingColumns: [ExpectedColumn(name: "c", type: "TEXT")],
                                                                                   breaking: [.retyped(column: "n", live: "INTEGER", spec: "TEXT")]))],
                            intervals: [PendingInterval(runId: "scheduled__2025-01-01T00:00:00+00:00", ds: "2025-01-01", units: ["events"])],
                            allowBreaking: false)
        #expect(LivePlanPrinter.text(plan) == """
            Plan for p (spec.yaml), against the live databases and the state store sqlite:.pipec/state.sqlite:

              + create view v_daily (local)
              ~ alter table events: add column c TEXT
              ! table events: column n is INTEGER in the database, TEXT in the spec (breaking)
              > run interval scheduled__2025-01-01T00:00:00+00:00 (ds 2025-01-01): 1 unit

            Plan: 1 table to create, 1 to alter, 1 interval to run.
            Apply refuses 1 breaking difference: change the table or the spec back, or give --allow-breaking to run with the table as it is.
            """)
        let json = LivePlanPrinter.json(plan)
        #expect(json["summary"] == .object([("create", .int(1)), ("alter", .int(1)), ("breaking", .int(1)), ("intervals", .int(1))]))
        #expect(json["refused"] == .bool(true))
    }
}
