import Foundation
import PipecModel
import PipecSQLite

/// The embedded engine: one SQLite connection per resource per apply. SQLite has a single writer, so units on the
/// same resource take turns (the lock), and cancellation interrupts the running statement.
public final class SQLiteEngine: SQLEngine, @unchecked Sendable {
    public let dialect = Dialect.sqlite
    private let db: SQLiteDatabase
    private let lock = NSLock()

    static let busyTimeoutMilliseconds = 600_000

    /// `createFolders`: create a missing parent folder (paths inside the project only).
    public init(path: String, createFolders: Bool = true) throws {
        do {
            // Units of one pipeline write at once (apply's parallel units, tasks on Airflow's LocalExecutor): a writer
            // waits for another's transaction, however long a load holds it, instead of failing after SQLite's 5 s.
            db = try SQLiteDatabase(path: path, busyTimeout: Self.busyTimeoutMilliseconds, createFolders: createFolders)
        } catch {
            throw EngineError("cannot open SQLite database \(path): \(error)", unreachable: true)
        }
    }

    private func guarded<T>(_ sql: String?, _ cancel: CancellationFlag, _ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let interrupter = db.interrupter
        let token = cancel.onCancel { interrupter.interrupt() }
        defer { cancel.remove(token) }
        if cancel.isCancelled { throw EngineError(cancel.reason ?? "cancelled", statement: sql) }
        do {
            return try body()
        } catch let e as SQLiteError {
            if e.isInterrupted, let reason = cancel.reason { throw EngineError(reason, statement: e.statement ?? sql) }
            throw EngineError(e.message, code: "SQLITE \(e.extendedCode)", statement: e.statement ?? sql)
        }
    }

    /// Exactly one statement, prepared and stepped: text after it (`; DROP TABLE ...`) is refused before anything
    /// runs, where `sqlite3_exec` would run a script.
    @discardableResult
    public func execute(_ sql: String, cancel: CancellationFlag) throws -> Int {
        try guarded(sql, cancel) {
            try db.runOne(sql)
            return db.changes
        }
    }

    @discardableResult
    public func transaction(_ statements: [String], cancel: CancellationFlag) throws -> [Int] {
        try guarded(nil, cancel) {
            try db.transaction {
                try statements.map { s in
                    do {
                        try db.runOne(s)
                        return db.changes
                    } catch let e as SQLiteError {
                        throw SQLiteError(code: e.code, extendedCode: e.extendedCode, message: e.message, statement: e.statement ?? s)
                    }
                }
            }
        }
    }

    public func query(_ sql: String, cancel: CancellationFlag) throws -> QueryResult {
        var rows: [[String?]] = []
        let columns = try stream(sql, batchRows: 1000, cancel: cancel) { rows += $1 }
        return QueryResult(columns: columns, rows: rows)
    }

    @discardableResult
    public func stream(_ sql: String, batchRows: Int, cancel: CancellationFlag, _ body: ([String], [[String?]]) throws -> Void) throws -> [String] {
        try guarded(sql, cancel) {
            let statement = try db.prepare(sql)
            let columns = statement.columns.names
            var batch: [[String?]] = []
            batch.reserveCapacity(batchRows)
            while try statement.step() {
                batch.append((0..<columns.count).map { statement.string(at: $0) })
                if batch.count >= batchRows {
                    try body(columns, batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try body(columns, batch) }
            return columns
        }
    }

    /// SQLite reports no result types, so each column's is its declared type when it is a table's column, else
    /// the storage class of its first non-NULL value in the first batch (`SELECT count(*)` is INTEGER); a column
    /// that is NULL throughout that batch stays untyped (text).
    @discardableResult
    public func streamTyped(_ sql: String, batchRows: Int, cancel: CancellationFlag,
                            _ body: ([(name: String, type: String)], [[String?]]) throws -> Void) throws -> [(name: String, type: String)] {
        try guarded(sql, cancel) {
            let statement = try db.prepare(sql)
            let names = statement.columns.names
            var types: [String?] = names.indices.map { statement.declaredType(at: $0) }
            var typed: [(name: String, type: String)] { zip(names, types).map { ($0, $1 ?? "") } }
            var batch: [[String?]] = []
            batch.reserveCapacity(batchRows)
            var first = true
            while try statement.step() {
                if first {
                    for i in names.indices where types[i] == nil { types[i] = statement.storageClass(at: i) }
                }
                batch.append((0..<names.count).map { statement.string(at: $0) })
                if batch.count >= batchRows {
                    try body(typed, batch)
                    batch.removeAll(keepingCapacity: true)
                    first = false
                }
            }
            if !batch.isEmpty { try body(typed, batch) }
            return typed
        }
    }

    public func insert(into table: String, columns: [String], cancel: CancellationFlag, nextBatch: () throws -> [[String?]]?) throws -> Int {
        let names = columns.map { TableNaming.identifier($0, .sqlite) }.joined(separator: ", ")
        let placeholders = columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
        let sql = "INSERT INTO \(table) (\(names)) VALUES (\(placeholders))"
        return try guarded(sql, cancel) {
            // One transaction for the whole load into the (staging) table: all rows or none.
            try db.transaction {
                let statement = try db.prepare(sql)
                var count = 0
                while let batch = try nextBatch() {
                    if cancel.isCancelled { throw EngineError(cancel.reason ?? "cancelled", statement: sql) }
                    for row in batch {
                        try statement.bind(row.map { $0.map(SQLiteValue.text) ?? .null })
                        _ = try statement.step()
                        statement.reset()
                        count += 1
                    }
                }
                return count
            }
        }
    }

    public func describeTable(_ table: String) throws -> [(name: String, type: String)]? {
        let bare = table.hasPrefix("\"") && table.hasSuffix("\"") ? String(table.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") : table
        let rows = try guarded(nil, CancellationFlag()) { try db.query("SELECT name, type FROM pragma_table_info(?1)", [.text(bare)]) }
        if rows.isEmpty { return nil }
        return rows.map { ($0[0].string ?? "", $0[1].string ?? "") }
    }
}
