import PipecModel

/// Rows of text (nil = NULL), the one shape every engine can return and every format can write.
public struct QueryResult: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[String?]]

    public init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The first column of the first row as a number (counts, flags); nil when empty or not numeric.
    public var scalar: Double? {
        guard let first = rows.first?.first, let text = first else { return nil }
        if let d = Double(text) { return d }
        switch text.lowercased() {
        case "t", "true": return 1
        case "f", "false": return 0
        default: return nil
        }
    }
}

/// A failure reported by a database, with what the engine said and the statement that failed.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// PostgreSQL's SQLSTATE, ClickHouse's `Code: N`, SQLite's result code.
    public var code: String?
    public var statement: String?
    /// The failure was a lost or refused connection (CLI exit code 3), not a failing statement.
    public var unreachable: Bool

    public init(_ message: String, code: String? = nil, statement: String? = nil, unreachable: Bool = false) {
        self.message = message
        self.code = code
        self.statement = statement
        self.unreachable = unreachable
    }

    public var description: String {
        var s = message
        if let code { s += " [\(code)]" }
        if let statement {
            let oneLine = statement.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            s += "\n  in: " + (oneLine.count > 300 ? String(oneLine.prefix(297)) + "..." : oneLine)
        }
        return s
    }
}

/// What the executor needs from a database resource. One connection per resource per run, used by one unit at
/// a time (the performer serializes access per engine).
public protocol SQLEngine: AnyObject, Sendable {
    var dialect: Dialect { get }
    /// Runs one statement; returns rows affected where the engine reports it.
    @discardableResult
    func execute(_ sql: String, cancel: CancellationFlag) throws -> Int
    /// Runs statements in one transaction (all or nothing); returns each statement's rows affected.
    @discardableResult
    func transaction(_ statements: [String], cancel: CancellationFlag) throws -> [Int]
    /// A small result (checks, sensors, scalars), fully read.
    func query(_ sql: String, cancel: CancellationFlag) throws -> QueryResult
    /// A large result, in batches (each with the column names), in constant memory; returns the column names.
    @discardableResult
    func stream(_ sql: String, batchRows: Int, cancel: CancellationFlag, _ body: ([String], [[String?]]) throws -> Void) throws -> [String]
    /// Appends rows into `table` (which exists), pulling batches from `nextBatch` until it returns nil, so a
    /// load stays in constant memory; returns how many rows were written.
    func insert(into table: String, columns: [String], cancel: CancellationFlag, nextBatch: () throws -> [[String?]]?) throws -> Int
    /// Streams CSV bytes straight into `table` with the database's own bulk loader, when it has one that reads CSV
    /// (PostgreSQL's COPY); nil when it has none and rows must go through `insert`.
    func copyCSV(into table: String, columns: [String], delimiter: UInt8, header: Bool, cancel: CancellationFlag,
                 nextChunk: () throws -> [UInt8]?) throws -> Int?

    /// Streams JSON lines straight into `table` when the database reads them itself (ClickHouse's JSONEachRow);
    /// keys not in `columns` are ignored. nil when it cannot, and rows must go through `insert`.
    func copyJSONLines(into table: String, columns: [String], cancel: CancellationFlag, nextChunk: () throws -> [UInt8]?) throws -> Int?

    /// The table's columns and types as the database has them, or nil when it does not exist (`pipec plan`).
    func describeTable(_ table: String) throws -> [(name: String, type: String)]?

    /// A query's result as CSV bytes (`delimiter` between fields, pipec's quoting, a header line when asked)
    /// produced without building rows, when the engine can (ClickHouse rewrites its own text output); `write` gets
    /// chunks of about 1 MiB. Returns the rows written, or nil when the engine has no such path.
    func exportDelimited(_ sql: String, delimiter: UInt8, header: Bool, cancel: CancellationFlag,
                         write: ([UInt8]) throws -> Void) throws -> Int?

    /// `stream` with each column's type as the database names it (for typed exports such as Parquet); engines that
    /// cannot tell give empty type names.
    @discardableResult
    func streamTyped(_ sql: String, batchRows: Int, cancel: CancellationFlag,
                     _ body: ([(name: String, type: String)], [[String?]]) throws -> Void) throws -> [(name: String, type: String)]
}

extension SQLEngine {
    public func copyJSONLines(into table: String, columns: [String], cancel: CancellationFlag, nextChunk: () throws -> [UInt8]?) throws -> Int? {
        nil
    }

    public func exportDelimited(_ sql: String, delimiter: UInt8, header: Bool, cancel: CancellationFlag,
                                write: ([UInt8]) throws -> Void) throws -> Int? {
        nil
    }

    @discardableResult
    public func streamTyped(_ sql: String, batchRows: Int, cancel: CancellationFlag,
                            _ body: ([(name: String, type: String)], [[String?]]) throws -> Void) throws -> [(name: String, type: String)] {
        try stream(sql, batchRows: batchRows, cancel: cancel) { names, batch in try body(names.map { ($0, "") }, batch) }.map { ($0, "") }
    }

    public func copyCSV(into table: String, columns: [String], delimiter: UInt8, header: Bool, cancel: CancellationFlag,
                        nextChunk: () throws -> [UInt8]?) throws -> Int? {
        nil
    }
}

/// An engine whose results carry their column types: `stream` is `streamTyped` with the types dropped.
public protocol TypedResultEngine: SQLEngine {}

extension TypedResultEngine {
    @discardableResult
    public func stream(_ sql: String, batchRows: Int, cancel: CancellationFlag, _ body: ([String], [[String?]]) throws -> Void) throws -> [String] {
        try streamTyped(sql, batchRows: batchRows, cancel: cancel) { columns, batch in try body(columns.map(\.name), batch) }.map(\.name)
    }
}
