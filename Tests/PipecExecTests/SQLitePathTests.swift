import Foundation
import PipecTestSupport
import Testing

/// pipec creates missing folders for a SQLite database only inside the project; an absolute path elsewhere must name
/// a folder that exists (issue 18, point 6). The path is a secret here, so the error must not print it.
@Suite struct SQLitePathTests {
    @Test func noFolderIsCreatedOutsideTheProject() throws {
        let outside = NSTemporaryDirectory() + "pipec-outside-" + UUID().uuidString.prefix(8).lowercased() + "-Secret-dir"
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let c = try ApplyCase("sqlite_paths", environment: ["WAREHOUSE_PATH": outside + "/sub/warehouse.sqlite"])
        let r = try c.apply("spec.yaml", ["--ds", "2025-01-01"])
        #expect(r.exitCode != 0, "\(r.transcript)")
        #expect(r.output.contains("does not exist (pipec creates folders only inside the project)"), "\(r.transcript)")
        #expect(!FileManager.default.fileExists(atPath: outside), "the folder was created")
        #expect(!r.output.contains("Secret-dir"), "the secret path was printed:\n\(r.transcript)")
        let state = (try? c.state("SELECT coalesce(group_concat(error), '') || coalesce(group_concat(message), '') FROM pipec_task_instances, pipec_applies")) ?? ""
        #expect(!state.contains("Secret-dir"), "\(state)")
    }

    @Test func foldersInsideTheProjectAreCreated() throws {
        let c = try ApplyCase("sqlite_paths", environment: ["WAREHOUSE_PATH": "data/new/warehouse.sqlite"])
        try expectSuccess(c.apply("spec.yaml", ["--ds", "2025-01-01"]))
        #expect(try c.sqlite("SELECT n FROM numbers", database: "data/new/warehouse.sqlite") == "1")
    }
}
