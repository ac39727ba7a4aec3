import Foundation
import PipecClickHouse
import PipecHTTP
import PipecIO
import PipecModel

/// A ClickHouse resource over the HTTP interface. ClickHouse has no transactions: the lowered strategies are
/// written so each statement leaves the table whole (staging tables, partition replacement, RENAME swaps) and a
/// rerun repairs a half-done interval. A cancelled statement is killed on the server (`KILL QUERY`).
public final class ClickHouseHTTPEngine: TypedResultEngine, @unchecked Sendable {
    public let dialect = Dialect.clickhouse
    private let client: ClickHouseClient
    private let lock = NSLock()
    /// The database unqualified table names live in.
    private let database: String
    /// Whether the resource's database is known to exist. Every request names it (`database=`), and ClickHouse
    /// refuses requests naming a missing one, so the first write creates it, as pipec creates the rest.
    private var databaseReady: Bool

    public init(config: ClickHouseConfig) throws {
        do {
            client = try ClickHouseClient(config)
        } catch {
            throw EngineError("cannot set up an HTTP client for ClickHouse at \(config.url): \(error)", unreachable: true)
        }
        database = config.database.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        databaseReady = database == "default"
    }

    /// Creates the resource's database when missing, through a request that names none.
    private func ensureDatabase(_ stop: @escaping () -> Bool) throws {
        guard !databaseReady else { return }
        var config = client.config
        config.database = nil
        try ClickHouseClient(config).execute("CREATE DATABASE IF NOT EXISTS \(ClickHouseClient.quoteIdentifier(database))", shouldCancel: stop)
        databaseReady = true
    }

    private func guarded<T>(_ sql: String?, _ cancel: CancellationFlag, _ body: (@escaping () -> Bool) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if cancel.isCancelled { throw EngineError(cancel.reason ?? "cancelled", statement: sql) }
        do {
            return try body { cancel.isCancelled }
        } catch let e as ClickHouseError {
            if e.isCancellation, let reason = cancel.reason { throw EngineError(reason, code: String(e.code), statement: sql) }
            throw EngineError(e.message, code: String(e.code), statement: sql)
        } catch let e as HTTPError {
            if case .cancelled = e { throw EngineError(cancel.reason ?? "cancelled", statement: sql) }
            throw EngineError("ClickHouse at \(client.config.url): \(e)", statement: sql, unreachable: e.isUnreachable || e.isTransient)
        }
    }

    @discardableResult
    public func execute(_ sql: String, cancel: CancellationFlag) throws -> Int {
        try guarded(sql, cancel) { stop in
            try ensureDatabase(stop)
            return try client.execute(sql, shouldCancel: stop).writtenRows ?? 0
        }
    }

    /// Runs the statements in order; ClickHouse cannot make them atomic.
    @discardableResult
    public func transaction(_ statements: [String], cancel: CancellationFlag) throws -> [Int] {
        try statements.map { try execute($0, cancel: cancel) }
    }

    public func query(_ sql: String, cancel: CancellationFlag) throws -> QueryResult {
        try guarded(sql, cancel) { stop in
            let (columns, rows) = try client.query(sql, shouldCancel: stop)
            return QueryResult(columns: columns.names, rows: rows)
        }
    }

    @discardableResult
    public func streamTyped(_ sql: String, batchRows: Int, cancel: CancellationFlag,
                            _ body: ([(name: String, type: String)], [[String?]]) throws -> Void) throws -> [(name: String, type: String)] {
        try guarded(sql, cancel) { stop in
            let columns = try client.select(sql, batchRows: batchRows, shouldCancel: stop) { columns, batch in
                try body(Array(zip(columns.names, columns.types)).map { ($0.0, $0.1) }, batch)
            }
            return zip(columns.names, columns.types).map { ($0.0, $0.1) }
        }
    }

    public func exportDelimited(_ sql: String, delimiter: UInt8, header: Bool, cancel: CancellationFlag,
                                write: ([UInt8]) throws -> Void) throws -> Int? {
        try guarded(sql, cancel) { stop in
            var converter = TabSeparatedToCSV(delimiter: delimiter)
            var out: [UInt8] = []
            try client.selectRaw(sql, format: header ? "TabSeparatedWithNames" : "TabSeparated", shouldCancel: stop) { chunk in
                converter.convert(chunk, into: &out)
                if out.count >= 1 << 20 {
                    try write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            if !out.isEmpty { try write(out) }
            return max(0, converter.lines - (header ? 1 : 0))
        }
    }

    public func insert(into table: String, columns: [String], cancel: CancellationFlag, nextBatch: () throws -> [[String?]]?) throws -> Int {
        var rows = 0
        try guarded("INSERT INTO \(table) FORMAT TabSeparated", cancel) { stop in
            try ensureDatabase(stop)
            var chunk: [UInt8] = []
            try client.insert(into: table, columns: columns, format: "TabSeparated", shouldCancel: stop) {
                // About 1 MiB of rows per chunk, from as many batches as that takes.
                chunk.removeAll(keepingCapacity: true)
                while chunk.count < 1 << 20 {
                    guard let batch = try nextBatch() else { break }
                    for row in batch { TabSeparated.write(row, into: &chunk) }
                    rows += batch.count
                }
                return chunk.isEmpty ? nil : chunk
            }
        }
        return rows
    }

    /// CSV goes to the server unparsed (`FORMAT CSV`/`CSVWithNames` with the header's column order), the fast
    /// path for loads. Date-times are read leniently (`2025-01-01T10:00:00Z` as well as `2025-01-01 10:00:00`).
    public func copyCSV(into table: String, columns: [String], delimiter: UInt8, header: Bool, cancel: CancellationFlag,
                        nextChunk: () throws -> [UInt8]?) throws -> Int? {
        guard delimiter == UInt8(ascii: ",") else { return nil }
        var counter = CSVRecordCounter()
        try guarded("INSERT INTO \(table) FORMAT CSV", cancel) { stop in
            try ensureDatabase(stop)
            try client.insert(into: table, columns: columns, format: header ? "CSVWithNames" : "CSV",
                              settings: [("date_time_input_format", "best_effort")], shouldCancel: stop) {
                guard let chunk = try nextChunk(), !chunk.isEmpty else { return nil }
                counter.count(chunk)
                return chunk
            }
        }
        return max(0, counter.records - (header ? 1 : 0))
    }

    /// JSON lines go to the server unparsed (`FORMAT JSONEachRow`); keys the table does not have are skipped, as
    /// pipec's own reader skips them.
    public func copyJSONLines(into table: String, columns: [String], cancel: CancellationFlag, nextChunk: () throws -> [UInt8]?) throws -> Int? {
        var lines = 0
        var last: UInt8 = UInt8(ascii: "\n")
        try guarded("INSERT INTO \(table) FORMAT JSONEachRow", cancel) { stop in
            try ensureDatabase(stop)
            try client.insert(into: table, columns: columns, format: "JSONEachRow",
                              settings: [("input_format_skip_unknown_fields", "1"), ("date_time_input_format", "best_effort")], shouldCancel: stop) {
                guard let chunk = try nextChunk(), !chunk.isEmpty else { return nil }
                // Rows are objects on lines of their own: count the line ends that close a non-empty line.
                for byte in chunk {
                    if byte == UInt8(ascii: "\n") && last != UInt8(ascii: "\n") { lines += 1 }
                    last = byte
                }
                return chunk
            }
        }
        return lines + (last == UInt8(ascii: "\n") ? 0 : 1)
    }

    public func describeTable(_ table: String) throws -> [(name: String, type: String)]? {
        let parts = table.split(separator: ".", maxSplits: 1).map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "`\"")) }
        let (db, name) = parts.count == 2 ? (parts[0], parts[1]) : (database, parts[0])
        func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'" }
        let result: QueryResult
        do {
            result = try query("SELECT name, type FROM system.columns WHERE database = \(literal(db)) AND table = \(literal(name))", cancel: CancellationFlag())
        } catch let e as EngineError where e.code == "81" {
            return nil  // the resource's database does not exist yet: neither does the table
        }
        if result.rows.isEmpty { return nil }
        return result.rows.map { ($0[0] ?? "", $0[1] ?? "") }
    }
}

/// Counts CSV records in streamed bytes (newlines outside quotes), so a load sent to the server unparsed still
/// reports its rows. A last record without a final newline counts too.
struct CSVRecordCounter {
    private(set) var newlines = 0
    private var inQuotes = false
    private var lastByte: UInt8 = UInt8(ascii: "\n")

    mutating func count(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                if byte == UInt8(ascii: "\"") {
                    inQuotes.toggle()
                } else if byte == UInt8(ascii: "\n") && !inQuotes {
                    newlines += 1
                }
            }
            if let last = buffer.last { lastByte = last }
        }
    }

    var records: Int { newlines + (lastByte == UInt8(ascii: "\n") ? 0 : 1) }
}
