import Foundation
import Testing
@testable import PipecSQLite

@Suite struct SQLiteDatabaseTests {
    @Test func openingCreatesParentFoldersAndUsesWALWithForeignKeys() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("a/b/c/state.db")
        let db = try SQLiteDatabase(path: path)
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try SQLite3CLI.query(path, "PRAGMA journal_mode") == "wal")
        #expect(try db.query("PRAGMA foreign_keys")[0][0] == .integer(1))
        #expect(try db.query("PRAGMA busy_timeout")[0][0] == .integer(5000))
    }

    @Test func foreignKeysAreEnforced() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("""
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));
            """)
        let error = #expect(throws: SQLiteError.self) {
            try db.execute("INSERT INTO child VALUES (1, 42)")
        }
        #expect(error?.code == SQLiteError.constraint)
        #expect(error?.extendedCode == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
    }

    @Test func openingAnImpossiblePathFailsWithAnError() throws {
        let dir = try TemporaryDirectory()
        let blocker = dir.file("file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        #expect(throws: SQLiteError.self) { try SQLiteDatabase(path: blocker + "/db.sqlite") }
    }

    @Test func executeRunsSeveralStatementsAndIgnoresTrailingComments() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("""
            CREATE TABLE t (a INTEGER, b TEXT);
            INSERT INTO t VALUES (1, 'one');
            -- a comment between statements
            INSERT INTO t VALUES (2, 'two'); SELECT * FROM t;
            /* trailing block comment */
            """)
        #expect(try db.query("SELECT count(*), group_concat(b, ',') FROM t")[0].values == [.integer(2), .text("one,two")])
    }

    @Test func aSyntaxErrorNamesTheFailingStatementAndItsPosition() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let error = #expect(throws: SQLiteError.self) {
            try db.execute("""
                CREATE TABLE t (a INTEGER);
                INSERT INTO t VALUES (1);
                  SELEC 'é', a FROM t;
                INSERT INTO t VALUES (3);
                """)
        }
        #expect(error?.code == SQLiteError.error)
        #expect(error?.statement == "SELEC 'é', a FROM t;")
        #expect(error?.message.contains("syntax error") == true)
        #expect(error?.position == 1)
        // Statements before the failing one took effect; the ones after did not run.
        #expect(try db.query("SELECT count(*) FROM t")[0][0] == .integer(1))
    }

    @Test func anErrorPositionCountsCharactersNotBytes() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let error = #expect(throws: SQLiteError.self) { try db.execute("SELECT 'ü€' AS a b") }
        // `b` is character 18; `ü` and `€` take 5 bytes, so its 0-based byte offset is 20.
        #expect(error?.position == 18)
    }

    @Test func aRuntimeErrorNamesTheStatementThatFailed() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let error = #expect(throws: SQLiteError.self) {
            try db.execute("""
                CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE);
                INSERT INTO t VALUES (1, 'a');
                INSERT INTO t VALUES (2, 'a');
                INSERT INTO t VALUES (3, 'c');
                """)
        }
        #expect(error?.code == SQLiteError.constraint)
        #expect(error?.extendedCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
        #expect(error?.statement == "INSERT INTO t VALUES (2, 'a');")
        #expect(error?.message.contains("UNIQUE constraint failed: t.name") == true)
        #expect(try db.query("SELECT group_concat(id) FROM t")[0][0] == .text("1"))
    }

    @Test func prepareTakesExactlyOneStatement() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let two = #expect(throws: SQLiteError.self) { try db.prepare("SELECT 1; SELECT 2") }
        #expect(two?.code == SQLiteError.misuse)
        let none = #expect(throws: SQLiteError.self) { try db.prepare("  -- nothing ") }
        #expect(none?.code == SQLiteError.misuse)
        let statement = try db.prepare("SELECT 1; -- trailing comment is fine")
        #expect(try statement.step())
        #expect(statement.int64(at: 0) == 1)
    }

    @Test func changesAndLastInsertRowID() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        let insert = try db.prepare("INSERT INTO t (v) VALUES (?)")
        #expect(try insert.run(["a"]) == 1)
        #expect(db.lastInsertRowID == 1)
        try insert.run(["b"])
        try insert.run(["c"])
        #expect(db.lastInsertRowID == 3)
        try db.execute("UPDATE t SET v = 'x' WHERE id >= 2")
        #expect(db.changes == 2)
        #expect(db.totalChanges == 5)
    }

    @Test func writesAreVisibleToTheSQLiteShellAndTheShellsToUs() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("shared.db")
        let db = try SQLiteDatabase(path: path)
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
        let insert = try db.prepare("INSERT INTO t VALUES (?1, ?2)")
        try insert.run([1, "grüße 👋"])
        try insert.run([2, .null])
        #expect(try SQLite3CLI.query(path, "SELECT id || ':' || coalesce(name, 'NULL') FROM t ORDER BY id")
                == "1:grüße 👋\n2:NULL")
        _ = try SQLite3CLI.query(path, "INSERT INTO t VALUES (3, 'from the shell')")
        #expect(try db.query("SELECT name FROM t WHERE id = 3")[0]["name"] == .text("from the shell"))
    }

    @Test func aSecondWriterWaitsForTheBusyTimeoutThenFails() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("busy.db")
        let first = try SQLiteDatabase(path: path)
        try first.execute("CREATE TABLE t (x INTEGER)")
        let second = try SQLiteDatabase(path: path, busyTimeout: 50)
        let error = #expect(throws: SQLiteError.self) {
            try first.transaction {
                try first.execute("INSERT INTO t VALUES (1)")
                try second.transaction { try second.execute("INSERT INTO t VALUES (2)") }
            }
        }
        #expect(error?.code == SQLiteError.busy)
        #expect(try first.query("SELECT count(*) FROM t")[0][0] == .integer(0))
    }
}
