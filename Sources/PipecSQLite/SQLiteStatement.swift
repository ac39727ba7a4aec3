internal import CSQLite
import Foundation

/// One compiled statement: bind parameters, ``step()``, read the current row.
///
/// **Indexes.** Parameters are numbered from 1, as in SQL (`?1`, and `?` counts from 1); result columns are
/// numbered from 0, as in every result array. **Ownership.** The statement owns its `sqlite3_stmt*` and
/// finalizes it in `deinit`; it keeps its ``database`` alive. Not `Sendable`, like its database.
public final class SQLiteStatement {
    let handle: OpaquePointer
    /// The connection this statement runs on (kept alive by the statement).
    public let database: SQLiteDatabase
    /// The result's column names; empty for statements without a result (INSERT without RETURNING, DDL).
    public let columns: SQLiteColumns
    /// The statement's text, trimmed; used in error messages.
    public let sql: String

    /// SQLite copies bound text and blobs at once (`SQLITE_TRANSIENT`), so Swift buffers need not outlive the bind.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(database: SQLiteDatabase, sql: String) throws {
        let db = database.handle
        var prepared: OpaquePointer?
        var extra: String?
        var trimmedSQL = ""
        let status: Int32 = sql.withCString { base in
            let end = base + strlen(base)
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v2(db, base, Int32(clamping: end - base), &prepared, &tail)
            let next = tail ?? end
            trimmedSQL = SQLiteDatabase.trimmedText(from: base, to: status == SQLITE_OK ? next : end).text
            if status == SQLITE_OK && next < end {
                // Anything but whitespace and comments after the first statement is a second statement.
                var second: OpaquePointer?
                if sqlite3_prepare_v2(db, next, Int32(clamping: end - next), &second, nil) != SQLITE_OK || second != nil {
                    extra = SQLiteDatabase.trimmedText(from: next, to: end).text
                }
                sqlite3_finalize(second)
            }
            return status
        }
        guard status == SQLITE_OK else {
            let offset = Int(sqlite3_error_offset(db))
            let skipped = sql.utf8.prefix { $0 == 0x20 || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d || $0 == 0x0c }.count
            throw SQLiteError(database: db, status: status, statement: trimmedSQL,
                              errorOffset: offset >= 0 ? offset - skipped : nil)
        }
        guard let prepared else {
            throw SQLiteError(code: SQLiteError.misuse, extendedCode: SQLiteError.misuse,
                              message: "no statement to prepare (the text is empty or only comments)", statement: trimmedSQL)
        }
        if let extra {
            sqlite3_finalize(prepared)
            throw SQLiteError(code: SQLiteError.misuse, extendedCode: SQLiteError.misuse,
                              message: "prepare takes one statement; use execute for several (found more: \(extra))",
                              statement: trimmedSQL)
        }
        self.handle = prepared
        self.database = database
        self.sql = trimmedSQL
        let count = Int(sqlite3_column_count(prepared))
        self.columns = SQLiteColumns(names: (0..<count).map { i in
            sqlite3_column_name(prepared, Int32(i)).map { String(cString: $0) } ?? ""
        })
    }

    deinit { sqlite3_finalize(handle) }

    /// How many parameters the statement takes (the largest `?NNN` index).
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    // MARK: - Binding

    /// Binds `value` to the parameter at a 1-based `index`.
    public func bind(_ value: SQLiteValue, at index: Int) throws {
        let i = Int32(clamping: index)
        let status: Int32
        switch value {
        case .null:
            status = sqlite3_bind_null(handle, i)
        case .integer(let v):
            status = sqlite3_bind_int64(handle, i, v)
        case .real(let v):
            status = sqlite3_bind_double(handle, i, v)
        case .text(let v):
            status = bindText(v, at: i)
        case .blob(let v):
            status = v.withUnsafeBytes { bytes -> Int32 in
                // A nil pointer would bind NULL, so an empty blob is bound as a zero-length zeroblob.
                guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_zeroblob(handle, i, 0) }
                return sqlite3_bind_blob64(handle, i, base, sqlite3_uint64(bytes.count), Self.transient)
            }
        }
        try check(status)
    }

    /// Binds `value` to the named parameter `name`, written with its prefix (`:id`, `@id`, `$id`) or without
    /// (then `:name` is meant).
    public func bind(_ value: SQLiteValue, named name: String) throws {
        var index = sqlite3_bind_parameter_index(handle, name)
        if index == 0 && !(name.hasPrefix(":") || name.hasPrefix("@") || name.hasPrefix("$")) {
            index = sqlite3_bind_parameter_index(handle, ":" + name)
        }
        guard index > 0 else {
            throw SQLiteError(code: SQLiteError.range, extendedCode: SQLiteError.range,
                              message: "no parameter named \(name)", statement: sql)
        }
        try bind(value, at: Int(index))
    }

    /// Binds `values` to parameters 1...n. The count must match ``parameterCount``, so a forgotten parameter is
    /// an error rather than a silent NULL.
    public func bind(_ values: [SQLiteValue]) throws {
        guard values.count == parameterCount else {
            throw SQLiteError(code: SQLiteError.range, extendedCode: SQLiteError.range,
                              message: "the statement takes \(parameterCount) parameters, \(values.count) given", statement: sql)
        }
        for (offset, value) in values.enumerated() { try bind(value, at: offset + 1) }
    }

    /// Text binding without going through ``SQLiteValue``: the bulk-insert path.
    func bindText(_ text: String, at index: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { utf8 -> Int32 in
            // An empty buffer may have a nil base address, which SQLite would bind as NULL, not ''.
            guard let base = utf8.baseAddress, !utf8.isEmpty else {
                return sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(utf8.count), Self.transient, UInt8(SQLITE_UTF8))
            }
        }
    }

    func bindNull(at index: Int32) -> Int32 { sqlite3_bind_null(handle, index) }

    /// Sets every parameter back to NULL.
    public func clearBindings() { sqlite3_clear_bindings(handle) }

    // MARK: - Running

    /// Advances to the next row: true when a row is available to read, false when the statement has finished.
    public func step() throws -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError(database: database.handle, status: status, statement: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Rewinds the statement so it can run again; bindings are kept.
    public func reset() { sqlite3_reset(handle) }

    /// Resets, binds `values` (1...n) and steps to completion, discarding rows: for running one statement many
    /// times (e.g. an INSERT per row). Returns the rows this run changed (``SQLiteDatabase/changes``; only
    /// meaningful for INSERT, UPDATE and DELETE).
    @discardableResult
    public func run(_ values: [SQLiteValue] = []) throws -> Int {
        reset()
        try bind(values)
        while try step() {}
        reset()
        return database.changes
    }

    // MARK: - Reading the current row (0-based columns)

    public var columnCount: Int { columns.count }

    /// The current row's value at a 0-based column, in its SQLite storage class.
    public func value(at column: Int) -> SQLiteValue {
        let i = Int32(clamping: column)
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT: return .text(text(at: i))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, i))
            guard count > 0, let base = sqlite3_column_blob(handle, i) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }

    /// The current row's value in the first column called `name`, or nil when there is no such column.
    public func value(named name: String) -> SQLiteValue? {
        columns.index(of: name).map { value(at: $0) }
    }

    public func isNull(at column: Int) -> Bool { sqlite3_column_type(handle, Int32(clamping: column)) == SQLITE_NULL }

    /// The declared type of a result column that is a table's column (`INTEGER`, `TIMESTAMP`, ...); nil for an
    /// expression, whose type only its values tell.
    public func declaredType(at column: Int) -> String? {
        sqlite3_column_decltype(handle, Int32(clamping: column)).map { String(cString: $0) }
    }

    /// The current row's storage class of a column: `INTEGER`, `REAL`, `TEXT` or `BLOB`; nil for NULL.
    public func storageClass(at column: Int) -> String? {
        switch sqlite3_column_type(handle, Int32(clamping: column)) {
        case SQLITE_INTEGER: return "INTEGER"
        case SQLITE_FLOAT: return "REAL"
        case SQLITE_TEXT: return "TEXT"
        case SQLITE_BLOB: return "BLOB"
        default: return nil
        }
    }

    /// The column as an integer, converted by SQLite's rules (text is parsed, NULL is 0).
    public func int64(at column: Int) -> Int64 { sqlite3_column_int64(handle, Int32(clamping: column)) }

    /// The column as a double, converted by SQLite's rules (NULL is 0.0).
    public func double(at column: Int) -> Double { sqlite3_column_double(handle, Int32(clamping: column)) }

    /// The column as text (numbers are rendered by SQLite), or nil for NULL.
    public func string(at column: Int) -> String? {
        isNull(at: column) ? nil : text(at: Int32(clamping: column))
    }

    /// The current row, copied out.
    public func row() -> SQLiteRow {
        SQLiteRow(columns: columns, values: (0..<columns.count).map { value(at: $0) })
    }

    private func text(at i: Int32) -> String {
        // sqlite3_column_text first, then sqlite3_column_bytes: the order SQLite documents for a stable length.
        guard let base = sqlite3_column_text(handle, i) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, i))
        return String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    private func check(_ status: Int32) throws {
        guard status == SQLITE_OK else { throw SQLiteError(database: database.handle, status: status, statement: sql) }
    }
}

@available(*, unavailable, message: "a statement belongs to its connection's task")
extension SQLiteStatement: Sendable {}
