import Foundation
import PipecAWS
import PipecHTTP
import PipecModel

/// An `athena` resource: each statement is a query execution, started, polled until it ends, and stopped on
/// cancellation. Athena tables are external (their data is S3 objects), so rows are not inserted here: loads
/// write objects and a statement registers them (`ALTER TABLE ... ADD PARTITION`).
public final class AthenaEngine: TypedResultEngine, @unchecked Sendable {
    public let dialect = Dialect.athena
    private let client: AthenaClient

    public init(config: AthenaClient.Config) throws {
        client = try AthenaClient(config)
    }

    private func guarded<T>(_ sql: String?, _ cancel: CancellationFlag, _ body: (@escaping () -> Bool) throws -> T) throws -> T {
        if cancel.isCancelled { throw EngineError(cancel.reason ?? "cancelled", statement: sql) }
        do {
            return try body { cancel.isCancelled }
        } catch let e as AthenaError {
            throw EngineError(e.message, code: e.code, statement: sql)
        } catch let e as HTTPError {
            if case .cancelled = e { throw EngineError(cancel.reason ?? "cancelled", statement: sql) }
            throw EngineError("Athena at \(client.config.endpoint): \(e)", statement: sql, unreachable: e.isUnreachable || e.isTransient)
        }
    }

    @discardableResult
    public func execute(_ sql: String, cancel: CancellationFlag) throws -> Int {
        try guarded(sql, cancel) { stop in
            _ = try client.run(sql, shouldCancel: stop)
            return 0
        }
    }

    /// Athena has no transactions: the statements run in order.
    @discardableResult
    public func transaction(_ statements: [String], cancel: CancellationFlag) throws -> [Int] {
        try statements.map { try execute($0, cancel: cancel) }
    }

    public func query(_ sql: String, cancel: CancellationFlag) throws -> QueryResult {
        var rows: [[String?]] = []
        let columns = try stream(sql, batchRows: 1000, cancel: cancel) { _, batch in rows += batch }
        return QueryResult(columns: columns, rows: rows)
    }

    /// Athena's results carry each column's type (`ColumnInfo`), so exports from it are typed.
    @discardableResult
    public func streamTyped(_ sql: String, batchRows: Int, cancel: CancellationFlag,
                            _ body: ([(name: String, type: String)], [[String?]]) throws -> Void) throws -> [(name: String, type: String)] {
        try guarded(sql, cancel) { stop in
            let execution = try client.run(sql, shouldCancel: stop)
            return try client.typedResults(execution.id, body)
        }
    }

    public func insert(into table: String, columns: [String], cancel: CancellationFlag, nextBatch: () throws -> [[String?]]?) throws -> Int {
        throw EngineError("Athena tables are read from S3: write objects with an export to the table's location and register them with a sql task, rather than loading rows into \(table)")
    }

    public func describeTable(_ table: String) throws -> [(name: String, type: String)]? {
        let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
        let (database, name) = parts.count == 2 ? (parts[0], parts[1]) : (client.config.database ?? "default", parts[0])
        let result = try query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '\(database)' AND table_name = '\(name)'",
                               cancel: CancellationFlag())
        return result.rows.isEmpty ? nil : result.rows.map { ($0.first.flatMap { $0 } ?? "", $0.dropFirst().first.flatMap { $0 } ?? "") }
    }
}
