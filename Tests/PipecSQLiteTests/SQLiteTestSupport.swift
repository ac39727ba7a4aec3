import Foundation
import PipecTestSupport

/// A fresh folder under the system temp dir, deleted when the value is dropped.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pipec-sqlite-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

enum SQLite3CLI {
    /// Runs `sql` against the database file and returns stdout with the trailing newline removed.
    static func query(_ database: String, _ sql: String) throws -> String {
        let output = try ProcessRunner.run("sqlite3", ["-batch", "-bail", database, sql])
        guard output.status == 0 else {
            throw CLIError(message: "sqlite3 exited with \(output.status): \(output.stderr)")
        }
        var text = output.stdout
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

struct CLIError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
