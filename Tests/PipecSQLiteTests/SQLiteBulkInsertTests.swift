import Foundation
import Testing
@testable import PipecSQLite

@Suite struct SQLiteBulkInsertTests {
    /// Row `i` of a deterministic data set: an id, a text with unicode, quotes and newlines, a NULL every 7th row.
    static func row(_ i: Int) -> [String?] {
        [String(i), i % 7 == 0 ? nil : "name \(i) \"q\", ü\nline", String(Double(i) / 4)]
    }

    @Test func rowsStreamInInChunksAndTheShellSeesThem() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("bulk.db")
        let db = try SQLiteDatabase(path: path)
        try db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT, value REAL)")
        var next = 0
        let load = SQLiteBulkInsert(table: "events", columns: ["id", "name", "value"], rowsPerTransaction: 1_000)
        let inserted = try load.run(on: db) {
            guard next < 25_500 else { return nil }
            next += 1
            return Self.row(next)
        }
        #expect(inserted == 25_500)
        #expect(!db.isInTransaction)
        let check = try SQLite3CLI.query(path, """
            SELECT count(*), sum(id), count(name), sum(value), typeof(id), typeof(value), \
            (SELECT name FROM events WHERE id = 3) = 'name 3 "q", ü' || char(10) || 'line' FROM events
            """)
        #expect(check == "25500|325137750|21858|81284437.5|integer|real|1")
    }

    @Test func identifiersAreQuoted() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute(#"CREATE TABLE "odd ""table""" ("select" TEXT, "a b" TEXT)"#)
        let load = SQLiteBulkInsert(table: #"odd "table""#, schema: "main", columns: ["select", "a b"])
        #expect(load.sql == #"INSERT INTO "main"."odd ""table""" ("select", "a b") VALUES (?1, ?2)"#)
        var rows: [[String?]] = [["1", ""], [nil, "x"]]
        rows.reverse()
        let count = try load.run(on: db) { rows.popLast() }
        #expect(count == 2)
        let stored = try db.query(#"SELECT "select", "a b" FROM "odd ""table""" ORDER BY rowid"#)
        #expect(stored.map(\.values) == [[.text("1"), .text("")], [.null, .text("x")]])
    }

    @Test func aRowWithTheWrongFieldCountStopsTheLoadAfterTheCommittedChunks() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("bulk.db")
        let db = try SQLiteDatabase(path: path)
        try db.execute("CREATE TABLE t (a TEXT, b TEXT)")
        var next = 0
        let load = SQLiteBulkInsert(table: "t", columns: ["a", "b"], rowsPerTransaction: 1_000)
        let error = #expect(throws: SQLiteBulkInsertError.self) {
            try load.run(on: db) {
                next += 1
                return next == 2_500 ? ["only one"] : ["\(next)", "x"]
            }
        }
        #expect(error?.rowNumber == 2_500)
        #expect(error?.committedRows == 2_000)
        #expect(error?.reason == .fieldCount(expected: 2, found: 1))
        #expect(try SQLite3CLI.query(path, "SELECT count(*) FROM t") == "2000")
    }

    @Test func aConstraintViolationNamesTheRow() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        var rows: [[String?]] = [["1", "a"], ["2", nil], ["3", "c"]]
        rows.reverse()
        let error = #expect(throws: SQLiteBulkInsertError.self) {
            try SQLiteBulkInsert(table: "t", columns: ["id", "v"]).run(on: db) { rows.popLast() }
        }
        #expect(error?.rowNumber == 2)
        #expect(error?.committedRows == 0)
        guard case .database(let underlying)? = error?.reason else {
            Issue.record("expected a database error, got \(String(describing: error))")
            return
        }
        #expect(underlying.extendedCode == 1299)  // SQLITE_CONSTRAINT_NOTNULL
        #expect(try db.query("SELECT count(*) FROM t")[0][0] == .integer(0))
    }

    @Test func insideAnOuterTransactionTheCallerDecides() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (a TEXT)")
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try db.transaction {
                var n = 0
                let count = try SQLiteBulkInsert(table: "t", columns: ["a"], rowsPerTransaction: 10).run(on: db) {
                    n += 1
                    return n <= 95 ? ["\(n)"] : nil
                }
                #expect(count == 95)
                throw Abort()
            }
        }
        #expect(try db.query("SELECT count(*) FROM t")[0][0] == .integer(0))
    }

    @Test func aSourceErrorPropagatesAndRollsBackItsChunk() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (a TEXT)")
        struct SourceBroke: Error {}
        var n = 0
        #expect(throws: SourceBroke.self) {
            try SQLiteBulkInsert(table: "t", columns: ["a"], rowsPerTransaction: 100).run(on: db) {
                n += 1
                if n == 250 { throw SourceBroke() }
                return ["\(n)"]
            }
        }
        #expect(try db.query("SELECT count(*) FROM t")[0][0] == .integer(200))
    }
}
