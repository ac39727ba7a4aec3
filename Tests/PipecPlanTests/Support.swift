import PipecDiagnostics
import PipecModel
@testable import PipecPlan
import Testing

/// Inline specs compiled the way `pipec compile` does, without touching the file system.
enum Fixture {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Resources most tests share: one of each database dialect and an object store.
    static let resources = """
        resources:
          pg: {kind: postgres, dsn: "postgresql://localhost/db"}
          ch: {kind: clickhouse, url: "http://localhost:8123", database: default}
          lite: {kind: sqlite, path: warehouse.sqlite}
          lake: {kind: s3, bucket: lake, region: us-east-1}
        """

    /// A daily pipeline (so `--ds 2025-03-01` is one run covering that day) with `body` appended.
    static func spec(_ body: String, cron: String = "@daily", extra: String = "") -> String {
        """
        version: 1
        pipeline: t
        schedule: {cron: "\(cron)", start: 2025-01-01}
        \(extra)
        \(resources)
        \(body)
        """
    }

    static func pipeline(_ text: String) throws -> Pipeline {
        let sources = SourceFiles()
        let loaded = SpecLoader.load(text: text, path: "spec.yaml", projectRoot: "/nonexistent", sources: sources) { _ in nil }
        guard let pipeline = loaded.valid else {
            throw Failure(description: DiagnosticRenderer(sources: sources, color: false).render(loaded.diagnostics.sorted()))
        }
        return pipeline
    }

    static func plan(_ text: String, ds: String = "2025-03-01", params: [String: String] = [:]) throws -> Plan {
        let p = try pipeline(text)
        let runs = try RunSelection.ds(ds).runs(for: p)
        return try PlanCompiler.compile(p, runs: runs, options: PlanOptions(params: params, specText: text))
    }

    /// The diagnostics a compile fails with.
    static func errors(_ text: String, ds: String = "2025-03-01") throws -> [Diagnostic] {
        let p = try pipeline(text)
        let runs = try RunSelection.ds(ds).runs(for: p)
        do throws(PlanCompileError) {
            _ = try PlanCompiler.compile(p, runs: runs, options: PlanOptions(specText: text))
            return []
        } catch {
            return error.diagnostics
        }
    }

    static func unit(_ plan: Plan, _ id: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PlanUnit {
        try #require(plan.runs.first?.units.first { $0.id == id }, sourceLocation: sourceLocation)
    }

    /// Every SQL text of a unit's steps, in order (check probes and remediation included).
    static func sql(_ unit: PlanUnit) -> [String] {
        unit.steps.flatMap(\.sqlTexts)
    }
}
