internal import CLibPQ

/// A completed statement's result: columns, rows in text format, and the command tag.
///
/// **Ownership.** Owns its `PGresult*` and clears it in `deinit`; values are read from it on demand, so a
/// large result is held once (by libpq), not copied into Swift arrays unless ``rows`` is asked for.
/// **Sendable**: libpq never modifies a `PGresult` after creating it, and documents that results may be shared
/// between threads; this class only reads it.
public final class PGResult: @unchecked Sendable {
    private let handle: OpaquePointer
    /// Column names and types.
    public let columns: PGColumns
    /// Number of rows returned (0 for commands without a result set).
    public let rowCount: Int

    /// Takes ownership of `handle`.
    init(handle: OpaquePointer) {
        self.handle = handle
        let count = Int(PQnfields(handle))
        columns = PGColumns(
            names: (0..<count).map { String(cString: PQfname(handle, Int32($0))) },
            types: (0..<count).map { PGType(rawValue: PQftype(handle, Int32($0))) })
        rowCount = Int(PQntuples(handle))
    }

    deinit { PQclear(handle) }

    public var columnNames: [String] { columns.names }
    public var columnTypes: [PGType] { columns.types }

    /// Rows affected or returned according to the command tag (`INSERT 0 5` → 5, `COPY 3` → 3, `SELECT 2` → 2);
    /// nil for commands whose tag has no count (`CREATE TABLE`, `BEGIN`).
    public var rowsAffected: Int? { Int(String(cString: PQcmdTuples(handle))) }

    /// The command tag, e.g. `INSERT 0 5`, `CREATE TABLE`.
    public var commandTag: String { String(cString: PQcmdStatus(handle)) }

    /// The value at a 0-based row and column in text format; nil for NULL.
    public subscript(row: Int, column: Int) -> String? {
        precondition(row >= 0 && row < rowCount && column >= 0 && column < columns.count, "PGResult index out of range")
        return Self.value(handle, Int32(row), Int32(column))
    }

    /// The value at a 0-based row in the first column called `name`: `.none` when there is no such column.
    public subscript(row: Int, name: String) -> String?? {
        columns.index(of: name).map { self[row, $0] }
    }

    /// One row, copied out.
    public func row(_ index: Int) -> PGRow {
        precondition(index >= 0 && index < rowCount, "PGResult row out of range")
        return PGRow(columns: columns, values: (0..<columns.count).map { Self.value(handle, Int32(index), Int32($0)) })
    }

    /// All rows, copied into Swift arrays (`nil` = NULL).
    public var rows: [[String?]] {
        (0..<rowCount).map { r in (0..<columns.count).map { Self.value(handle, Int32(r), Int32($0)) } }
    }

    /// Reads one text value; `PQgetlength` gives its byte length, so no scan for the terminator is needed.
    static func value(_ handle: OpaquePointer, _ row: Int32, _ column: Int32) -> String? {
        if PQgetisnull(handle, row, column) != 0 { return nil }
        guard let base = PQgetvalue(handle, row, column) else { return nil }
        let count = Int(PQgetlength(handle, row, column))
        return base.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }
}
