import Foundation
import PipecSQLite

/// The default state store: `.pipec/state.sqlite` beside the project.
public final class SQLiteStateConnection: StateConnection, @unchecked Sendable {
    public let isPostgres = false
    private let db: SQLiteDatabase
    private let lock = NSRecursiveLock()
    /// Prepared once, reused: the store runs the same few statements for every task.
    private var statements: [String: SQLiteStatement] = [:]

    public init(path: String) throws {
        db = try SQLiteDatabase(path: path, busyTimeout: 30_000)
        // WAL with synchronous=NORMAL survives a killed process (what the state store must survive) without an
        // fsync per record; only a power cut can lose the last few records, never corrupt the store.
        try db.execute("PRAGMA synchronous = NORMAL")
    }

    public func run(_ sql: String, _ parameters: [String?]) throws {
        try lock.withLock {
            let statement: SQLiteStatement
            if let cached = statements[sql] {
                statement = cached
            } else {
                statement = try db.prepare(sql)
                statements[sql] = statement
            }
            _ = try statement.run(parameters.map { $0.map(SQLiteValue.text) ?? .null })
        }
    }

    public func rows(_ sql: String, _ parameters: [String?]) throws -> [[String?]] {
        try lock.withLock {
            try db.query(sql, parameters.map { $0.map(SQLiteValue.text) ?? .null }).map { row in
                row.values.map { v -> String? in
                    switch v {
                    case .null: return nil
                    case .integer(let i): return String(i)
                    case .real(let d): return String(d)
                    case .text(let s): return s
                    case .blob(let b): return String(decoding: b, as: UTF8.self)
                    }
                }
            }
        }
    }

    public func inTransaction(_ body: () throws -> Void) throws {
        try lock.withLock { try db.transaction { try body() } }
    }
}
