import Foundation
import PipecTestSupport

/// Reads ClickHouse the way a person would check it, independently of pipec: curl against the HTTP interface,
/// rows as `a|b` lines (the psql and sqlite3 shape the shared expectations use).
enum ClickHouseReader {
    static func query(_ url: String, _ sql: String) throws -> String {
        let r = try ChildProcess.run("curl", ["-sS", "--fail-with-body", "--data-binary", sql, url + "/?default_format=TabSeparated"])
        guard r.exitCode == 0 else { throw TestFailure("curl to ClickHouse failed (\(r.exitCode)): \(r.output)\n  in: \(sql)") }
        return r.stdout.trimmingCharacters(in: .newlines).replacingOccurrences(of: "\t", with: "|")
    }

    /// Drops the databases a test is about to create, so each run starts from nothing.
    static func dropDatabases(_ url: String, _ names: [String]) throws {
        for name in names { _ = try query(url, "DROP DATABASE IF EXISTS \(name)") }
    }
}
