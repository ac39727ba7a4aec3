import Foundation
import Testing
@testable import PipecSQLite

@Suite struct SQLiteTransactionTests {
    struct Boom: Error {}

    @Test func aTransactionCommitsWhenTheBodyReturns() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("tx.db")
        let db = try SQLiteDatabase(path: path)
        try db.execute("CREATE TABLE t (x INTEGER)")
        let inserted = try db.transaction { () throws -> Int in
            #expect(db.isInTransaction)
            try db.execute("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)")
            return db.changes
        }
        #expect(inserted == 1)
        #expect(!db.isInTransaction)
        #expect(try SQLite3CLI.query(path, "SELECT count(*) FROM t") == "2")
    }

    @Test func aThrowingBodyRollsEverythingBack() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("tx.db")
        let db = try SQLiteDatabase(path: path)
        try db.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (0)")
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (1); DELETE FROM t WHERE x = 0; CREATE TABLE u (y)")
                throw Boom()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try SQLite3CLI.query(path, "SELECT group_concat(x) FROM t") == "0")
        #expect(try SQLite3CLI.query(path, "SELECT count(*) FROM sqlite_master WHERE name = 'u'") == "0")
    }

    @Test func aFailingStatementInsideRollsBackTheWholeTransaction() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER UNIQUE)")
        let error = #expect(throws: SQLiteError.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (1)")
                try db.execute("INSERT INTO t VALUES (1)")
            }
        }
        #expect(error?.code == SQLiteError.constraint)
        #expect(try db.query("SELECT count(*) FROM t")[0][0] == .integer(0))
    }

    @Test func aNestedTransactionIsASavepoint() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER)")
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            #expect(throws: Boom.self) {
                try db.transaction {
                    try db.execute("INSERT INTO t VALUES (2)")
                    throw Boom()
                }
            }
            try db.transaction { try db.execute("INSERT INTO t VALUES (3)") }
        }
        #expect(try db.query("SELECT group_concat(x) FROM (SELECT x FROM t ORDER BY x)")[0][0] == .text("1,3"))
    }
}
