import Foundation
import Testing
@testable import PipecSQLite

@Suite struct SQLiteStatementTests {
    static let values: [(String, SQLiteValue, String)] = [
        ("null", .null, "null"),
        ("zero", .integer(0), "integer"),
        ("int64 min", .integer(.min), "integer"),
        ("int64 max", .integer(.max), "integer"),
        ("real", .real(-1.5e-300), "real"),
        ("real pi", .real(3.141592653589793), "real"),
        ("empty text", .text(""), "text"),
        ("unicode text", .text("Zürich · 東京 · 👩‍👩‍👧 · \u{200B}"), "text"),
        ("text with NUL", .text("a\u{0}b"), "text"),
        ("quotes", .text("it's \"quoted\"; DROP TABLE t; --"), "text"),
        ("empty blob", .blob([]), "blob"),
        ("blob", .blob([0, 1, 2, 255, 0, 127]), "blob"),
    ]

    @Test(arguments: values)
    func everyValueRoundTripsWithItsStorageClass(_ name: String, _ value: SQLiteValue, _ type: String) throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (v)")
        try db.prepare("INSERT INTO t VALUES (?)").run([value])
        let row = try db.query("SELECT v, typeof(v), length(v) IS NULL FROM t")[0]
        #expect(row[0] == value, "\(name)")
        #expect(row[1] == .text(type), "\(name)")
        #expect(row[2] == .integer(value.isNull ? 1 : 0), "\(name)")
    }

    @Test func typedReadersConvertBySQLiteRules() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let statement = try db.prepare("SELECT 42, 2.5, 'text', NULL, x'00ff', '7'")
        #expect(try statement.step())
        #expect(statement.columnCount == 6)
        #expect(statement.int64(at: 0) == 42)
        #expect(statement.double(at: 1) == 2.5)
        #expect(statement.string(at: 2) == "text")
        #expect(statement.string(at: 3) == nil)
        #expect(statement.isNull(at: 3))
        #expect(statement.value(at: 4) == .blob([0, 255]))
        #expect(statement.int64(at: 5) == 7)
        #expect(statement.string(at: 0) == "42")
        #expect(try statement.step() == false)
    }

    @Test func columnsAreReadByNameAndIndex() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let rows = try db.query("SELECT 1 AS id, 'x' AS name, NULL AS note, 2 AS id")
        #expect(rows.count == 1)
        let row = rows[0]
        #expect(row.columns.names == ["id", "name", "note", "id"])
        #expect(row["id"] == .integer(1))  // the first of duplicate names
        #expect(row[3] == .integer(2))
        #expect(row["note"] == .null)
        #expect(row["missing"] == nil)
        let statement = try db.prepare("SELECT 5 AS five")
        #expect(try statement.step())
        #expect(statement.value(named: "five") == .integer(5))
        #expect(statement.value(named: "six") == nil)
    }

    @Test func namedParametersBindWithOrWithoutTheirPrefix() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let statement = try db.prepare("SELECT :a, @b, $c, :d")
        try statement.bind(.integer(1), named: ":a")
        try statement.bind(.text("two"), named: "@b")
        try statement.bind(.real(3.0), named: "$c")
        try statement.bind(.blob([4]), named: "d")
        #expect(try statement.step())
        #expect(statement.row().values == [.integer(1), .text("two"), .real(3.0), .blob([4])])
        let error = #expect(throws: SQLiteError.self) { try statement.bind(.null, named: "nope") }
        #expect(error?.code == SQLiteError.range)
    }

    @Test func theParameterCountMustMatch() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let error = #expect(throws: SQLiteError.self) { try db.query("SELECT ?1 + ?2", [1]) }
        #expect(error?.code == SQLiteError.range)
        #expect(error?.statement == "SELECT ?1 + ?2")
        #expect(try db.query("SELECT ?1 + ?2", [1, 2])[0][0] == .integer(3))
    }

    @Test func largeTextAndBlobsRoundTrip() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (s TEXT, b BLOB)")
        let text = String(repeating: "ab€😀", count: 1_000_000)  // 9 bytes each: 9 MB of UTF-8
        let blob = (0..<5_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try db.prepare("INSERT INTO t VALUES (?, ?)").run([.text(text), .blob(blob)])
        let row = try db.query("SELECT s, b, length(s), length(b) FROM t")[0]
        #expect(row[0] == .text(text))
        #expect(row[1] == .blob(blob))
        #expect(row[2] == .integer(4_000_000))
        #expect(row[3] == .integer(5_000_000))
    }

    @Test func aStatementCanBeRerunAfterReset() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let statement = try db.prepare("SELECT ?1 * 2")
        var results: [Int64] = []
        for value in [1, 2, 3] as [Int64] {
            statement.reset()
            try statement.bind([.integer(value)])
            #expect(try statement.step())
            results.append(statement.int64(at: 0))
        }
        #expect(results == [2, 4, 6])
        statement.reset()
        statement.clearBindings()
        #expect(try statement.step())
        #expect(statement.isNull(at: 0))
    }

    @Test func valuesDescribeThemselvesReadably() {
        let values: [SQLiteValue] = [nil, 7, 1.5, "it's", .blob([0x0a, 0xff])]
        #expect(values.map(\.description) == ["NULL", "7", "1.5", "'it''s'", "x'0aff'"])
    }
}
