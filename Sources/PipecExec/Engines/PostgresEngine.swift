import Foundation
import PipecIO
import PipecModel
import PipecPostgres

/// A PostgreSQL resource (CrateDB too, which speaks its wire protocol): one libpq connection per resource per
/// apply, used by one unit at a time. Loads go through `COPY ... FROM STDIN` in CSV chunks; cancellation sends
/// PQcancel to the server.
public final class PostgresEngine: TypedResultEngine, @unchecked Sendable {
    public let dialect = Dialect.postgres
    private let connection: PGConnection
    private let lock = NSLock()

    public init(conninfo: String) throws {
        do {
            connection = try PGConnection(conninfo: conninfo)
        } catch let e as PGError {
            throw EngineError("cannot connect to PostgreSQL: \(e.message)", code: e.sqlstate, unreachable: true)
        }
    }

    private func guarded<T>(_ sql: String?, _ cancel: CancellationFlag, _ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let canceller = connection.canceller
        let token = cancel.onCancel { try? canceller.cancel() }
        defer { cancel.remove(token) }
        if cancel.isCancelled { throw EngineError(cancel.reason ?? "cancelled", statement: sql) }
        do {
            return try body()
        } catch let e as PGError {
            if e.sqlstate == "57014", let reason = cancel.reason { throw EngineError(reason, code: e.sqlstate, statement: sql) }
            var message = e.message
            if let detail = e.detail { message += " (\(detail))" }
            let lost = e.sqlstate?.hasPrefix("08") ?? false
            throw EngineError(message, code: e.sqlstate, statement: e.statement ?? sql, unreachable: lost)
        }
    }

    /// Exactly one statement, through the extended query protocol (which refuses a second one), where the simple
    /// protocol would run every statement of the text.
    @discardableResult
    public func execute(_ sql: String, cancel: CancellationFlag) throws -> Int {
        try guarded(sql, cancel) { try connection.query(sql).rowsAffected ?? 0 }
    }

    @discardableResult
    public func transaction(_ statements: [String], cancel: CancellationFlag) throws -> [Int] {
        var current: String?
        do {
            return try guarded(nil, cancel) {
                try connection.transaction {
                    try statements.map { s in
                        current = s
                        return try connection.query(s).rowsAffected ?? 0
                    }
                }
            }
        } catch var e as EngineError {
            if e.statement == nil { e.statement = current }
            throw e
        }
    }

    public func query(_ sql: String, cancel: CancellationFlag) throws -> QueryResult {
        try guarded(sql, cancel) {
            let result = try connection.query(sql)
            return QueryResult(columns: result.columnNames, rows: result.rows)
        }
    }

    @discardableResult
    public func streamTyped(_ sql: String, batchRows: Int, cancel: CancellationFlag,
                            _ body: ([(name: String, type: String)], [[String?]]) throws -> Void) throws -> [(name: String, type: String)] {
        try guarded(sql, cancel) {
            let rows = try connection.rows(sql)
            var batch: [[String?]] = []
            var columns: [(name: String, type: String)] = []
            while let row = try rows.next() {
                if columns.isEmpty { columns = zip(row.columns.names, row.columns.types).map { ($0.0, $0.1.name ?? "") } }
                batch.append(row.values)
                if batch.count >= batchRows {
                    try body(columns, batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try body(columns, batch) }
            return columns
        }
    }

    public func insert(into table: String, columns: [String], cancel: CancellationFlag, nextBatch: () throws -> [[String?]]?) throws -> Int {
        let names = columns.map { TableNaming.identifier($0, .postgres) }.joined(separator: ", ")
        let sql = "COPY \(table) (\(names)) FROM STDIN WITH (FORMAT csv)"
        return try guarded(sql, cancel) {
            var writer = CSVWriter()
            return try connection.copyIn(sql) {
                // Fill about 1 MiB of CSV per chunk from as many batches as that takes.
                while writer.count < 1 << 20 {
                    guard let batch = try nextBatch() else { break }
                    for row in batch { writer.write(row) }
                }
                let chunk = writer.take()
                return chunk.isEmpty ? nil : chunk
            }
        }
    }

    public func copyCSV(into table: String, columns: [String], delimiter: UInt8, header: Bool, cancel: CancellationFlag,
                        nextChunk: () throws -> [UInt8]?) throws -> Int? {
        let names = columns.map { TableNaming.identifier($0, .postgres) }.joined(separator: ", ")
        let d = delimiter == UInt8(ascii: "\t") ? "E'\\t'" : "'\(Character(UnicodeScalar(delimiter)))'"
        let sql = "COPY \(table) (\(names)) FROM STDIN WITH (FORMAT csv, HEADER \(header), DELIMITER \(d))"
        return try guarded(sql, cancel) {
            try connection.copyIn(sql) {
                if cancel.isCancelled { throw EngineError(cancel.reason ?? "cancelled", statement: sql) }
                return try nextChunk()
            }
        }
    }

    public func describeTable(_ table: String) throws -> [(name: String, type: String)]? {
        let parts = table.split(separator: ".").map { $0.hasPrefix("\"") ? String($0.dropFirst().dropLast()) : String($0) }
        let schema = parts.count == 2 ? parts[0] : "public"
        let name = parts.last ?? table
        let rows = try guarded(nil, CancellationFlag()) {
            try connection.query("""
                SELECT column_name, data_type FROM information_schema.columns
                WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position
                """, parameters: [schema, name]).rows
        }
        if rows.isEmpty { return nil }
        return rows.map { ($0[0] ?? "", $0[1] ?? "") }
    }
}
