import Foundation
import PipecPostgres

/// A shared state store on PostgreSQL (`--state postgres://...`), so several machines see one history.
public final class PostgresStateConnection: StateConnection, @unchecked Sendable {
    public let isPostgres = true
    private let connection: PGConnection
    private let lock = NSRecursiveLock()

    public init(conninfo: String) throws {
        connection = try PGConnection(conninfo: conninfo)
    }

    /// `?` placeholders become `$1, $2, ...` (the state store's SQL has no `?` inside string literals).
    static func numbered(_ sql: String) -> String {
        var out = ""
        var n = 0
        for c in sql {
            if c == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(c)
            }
        }
        return out
    }

    public func run(_ sql: String, _ parameters: [String?]) throws {
        try lock.withLock { _ = try connection.query(Self.numbered(sql), parameters: parameters) }
    }

    public func rows(_ sql: String, _ parameters: [String?]) throws -> [[String?]] {
        try lock.withLock { try connection.query(Self.numbered(sql), parameters: parameters).rows }
    }

    public func inTransaction(_ body: () throws -> Void) throws {
        try lock.withLock { try connection.transaction { try body() } }
    }

    /// A session-level advisory lock: released by the server when this connection ends, even if the process dies.
    public func tryLock(_ key: String) throws -> Bool {
        try lock.withLock {
            let rows = try connection.query("SELECT pg_try_advisory_lock(hashtext($1))", parameters: [key]).rows
            return rows.first?.first == "t"
        }
    }

    public func unlock(_ key: String) throws {
        try lock.withLock { _ = try connection.query("SELECT pg_advisory_unlock(hashtext($1))", parameters: [key]) }
    }

    /// Runs `body` holding the advisory lock `key`, waiting for it (short sections such as table creation, which
    /// PostgreSQL does not make safe against itself across sessions).
    public func withLock<T>(_ key: String, _ body: () throws -> T) throws -> T {
        while try !tryLock(key) { Thread.sleep(forTimeInterval: 0.1) }
        defer { try? unlock(key) }
        return try body()
    }
}
