import Foundation
import PipecDiagnostics
import PipecModel
import PipecPlan
@testable import PipecExec

/// Temporary copies of the projects under Tests/Fixtures/plan/, loaded as `pipec` would load them.
final class PlanFixture {
    static let fixtures: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
        }
        return url.appendingPathComponent("Tests/Fixtures/plan")
    }()

    let dir: URL

    /// A fresh copy of fixture `name` in its own temporary folder.
    init(_ name: String = "base") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-plan-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name), to: dir)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Puts fixture `variant`'s spec.yaml in place of this project's.
    func use(_ variant: String) throws {
        let target = dir.appendingPathComponent("spec.yaml")
        try FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("\(variant)/spec.yaml"), to: target)
    }

    var specPath: String { dir.appendingPathComponent("spec.yaml").path }
    var specText: String { (try? String(contentsOfFile: specPath, encoding: .utf8)) ?? "" }

    func pipeline() throws -> Pipeline {
        let loaded = SpecLoader.load(path: specPath, sources: SourceFiles())
        guard let pipeline = loaded.pipeline, !loaded.diagnostics.hasErrors else {
            throw EngineError("fixture does not load: \(loaded.diagnostics.sorted().map(\.message))")
        }
        return pipeline
    }

    /// Apply options as the CLI makes them, isolated from the test process's environment.
    func options(_ selection: RunSelection? = .range(from: "2025-01-01", to: "2025-01-02"), environment: [String: String] = [:]) -> ApplyOptions {
        var options = ApplyOptions()
        options.selection = selection
        options.environment = environment
        options.specText = specText
        options.parallel = 1
        return options
    }

    func apply(_ options: ApplyOptions) throws -> ApplyOutcome {
        try Applier.apply(try pipeline(), options: options, log: ApplyLog(redact: { $0 }, write: { _ in }), interruption: CancellationFlag())
    }

    /// The warehouse of the SQLite fixtures, opened directly.
    func warehouse() throws -> SQLiteEngine {
        try SQLiteEngine(path: dir.appendingPathComponent(".pipec/warehouse.sqlite").path)
    }

    func compile(_ selection: RunSelection = .range(from: "2025-01-01", to: "2025-01-02"), environment: [String: String]? = nil) throws -> Plan {
        let pipeline = try pipeline()
        let runs = try selection.runs(for: pipeline)
        return try PlanCompiler.compile(pipeline, runs: runs, options: PlanOptions(environment: environment, specText: specText))
    }
}
