import Foundation
import Testing
@testable import PipecPostgres

@Suite struct PGQueryTests {
    func connect() throws -> PGConnection { try PGConnection(conninfo: try PostgresTestServer.url()) }

    @Test func executeRunsSeveralStatementsAndReturnsTheLastResult() throws {
        let connection = try connect()
        let result = try connection.execute("""
            CREATE TEMP TABLE t (id int PRIMARY KEY, name text);
            INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL);
            SELECT id, name FROM t ORDER BY id;
            """)
        #expect(result.columnNames == ["id", "name"])
        #expect(result.columnTypes == [.int4, .text])
        #expect(result.rows == [["1", "a"], ["2", "b"], ["3", nil]])
        #expect(result.rowCount == 3)
        #expect(result.rowsAffected == 3)
        #expect(result.commandTag == "SELECT 3")
        #expect(result[1, "name"] == .some("b"))
        #expect(result[2, "name"] == .some(nil))
        #expect(result[0, "missing"] == nil)
        #expect(result.row(0)["id"] == .some("1"))
    }

    @Test func rowsAffectedComesFromTheCommandTag() throws {
        let connection = try connect()
        let create = try connection.execute("CREATE TEMP TABLE t (x int)")
        #expect(create.rowsAffected == nil)
        #expect(create.commandTag == "CREATE TABLE")
        #expect(try connection.execute("INSERT INTO t SELECT generate_series(1, 5)").rowsAffected == 5)
        #expect(try connection.query("UPDATE t SET x = x * 10 WHERE x > $1", parameters: ["2"]).rowsAffected == 3)
        #expect(try connection.query("DELETE FROM t").rowsAffected == 5)
    }

    @Test func parametersTravelSeparatelyAndAreNeverSplicedIntoSQL() throws {
        let connection = try connect()
        try connection.execute("CREATE TEMP TABLE t (id int, note text)")
        let hostile = "x'); DROP TABLE t; --"
        let unicode = "Zürich · 東京 · 👩‍👩‍👧 · \"q\" · \\ · \n"
        try connection.query("INSERT INTO t VALUES ($1, $2), ($3, $4), ($5, $6), ($7, $8)",
                             parameters: ["1", hostile, "2", unicode, "3", nil, "4", ""])
        let rows = try connection.query("SELECT id, note, note IS NULL FROM t WHERE id <> $1 ORDER BY id", parameters: ["0"]).rows
        #expect(rows == [["1", hostile, "f"], ["2", unicode, "f"], ["3", nil, "t"], ["4", "", "f"]])
    }

    @Test func valuesOfEveryCommonTypeComeBackInTextFormatWithTheirOIDs() throws {
        let connection = try connect()
        let result = try connection.query("""
            SELECT $1::int2, $1::int4, $2::int8, $3::float8, $3::float4, $4::numeric, $5::bool, $6::text,
                   $6::varchar, $7::date, $8::timestamp, $8::timestamptz, $9::uuid, $10::jsonb, $11::bytea, NULL::int
            """, parameters: ["-7", "9223372036854775807", "2.5", "12345678901234567890.0123456789", "true", "ü",
                              "2024-02-29", "2024-02-29 13:14:15.123456", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                              #"{"a": [1, null]}"#, "\\x00ff"])
        #expect(result.columnTypes == [.int2, .int4, .int8, .float8, .float4, .numeric, .bool, .text, .varchar, .date,
                                       .timestamp, .timestamptz, .uuid, .jsonb, .bytea, .int4])
        #expect(result.rows == [["-7", "-7", "9223372036854775807", "2.5", "2.5", "12345678901234567890.0123456789", "t", "ü",
                                 "ü", "2024-02-29", "2024-02-29 13:14:15.123456", "2024-02-29 13:14:15.123456+00",
                                 "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", #"{"a": [1, null]}"#, "\\x00ff", nil]])
    }

    @Test func largeTextRoundTrips() throws {
        let connection = try connect()
        let text = String(repeating: "ab€😀", count: 2_500_000)  // 9 bytes each: 22.5 MB of UTF-8
        let result = try connection.query("SELECT $1::text, length($1), octet_length($1)", parameters: [text])
        #expect(result[0, 0] == text)
        #expect(result[0, 1] == "10000000")
        #expect(result[0, 2] == "22500000")
    }

    @Test func aSyntaxErrorHasSQLSTATEAndA1BasedCharacterPosition() throws {
        let connection = try connect()
        let sql = "SELECT 'ü€' AS x; SELEC 2"
        let error = #expect(throws: PGError.self) { try connection.execute(sql) }
        #expect(error?.kind == .server)
        #expect(error?.sqlstate == "42601")
        #expect(error?.severity == "ERROR")
        #expect(error?.message == #"syntax error at or near "SELEC""#)
        // Characters, not bytes: `SELEC` is the 19th character (the 22nd byte).
        #expect(error?.position == 19)
        #expect(error?.statement == sql)
        #expect(error?.description.contains("42601") == true)
    }

    @Test func aUniqueViolationCarriesDetailAndConstraint() throws {
        let connection = try connect()
        try connection.execute("CREATE TEMP TABLE t (id int CONSTRAINT t_pk PRIMARY KEY, v text)")
        try connection.query("INSERT INTO t VALUES ($1, $2)", parameters: ["1", "a"])
        let error = #expect(throws: PGError.self) {
            try connection.query("INSERT INTO t VALUES ($1, $2)", parameters: ["1", "b"])
        }
        #expect(error?.sqlstate == "23505")
        #expect(error?.detail == "Key (id)=(1) already exists.")
        #expect(error?.constraint == "t_pk")
        #expect(error?.message.contains("duplicate key value violates unique constraint") == true)
        #expect(error?.position == nil)
    }

    @Test func aHintIsReported() throws {
        let connection = try connect()
        let error = #expect(throws: PGError.self) { try connection.query("SELECT round(1.5::float8, 1)") }
        #expect(error?.sqlstate == "42883")
        #expect(error?.hint?.contains("explicit type casts") == true)
        #expect(error?.position == 8)
    }

    @Test func theConnectionStaysUsableAfterAnError() throws {
        let connection = try connect()
        #expect(throws: PGError.self) { try connection.execute("SELECT 1/0") }
        #expect(try connection.query("SELECT 'still here'")[0, 0] == "still here")
    }

    @Test func emptyQueryIsNotAnError() throws {
        let connection = try connect()
        let result = try connection.execute("  ")
        #expect(result.rowCount == 0)
        #expect(result.columnNames.isEmpty)
    }

    @Test func aCOPYThroughExecuteIsRejectedAndTheConnectionRecovers() throws {
        let connection = try connect()
        try connection.execute("CREATE TEMP TABLE t (x int)")
        let copyIn = #expect(throws: PGError.self) { try connection.execute("COPY t FROM STDIN") }
        #expect(copyIn?.kind == .client)
        let copyOut = #expect(throws: PGError.self) { try connection.execute("COPY (SELECT generate_series(1, 1000)) TO STDOUT") }
        #expect(copyOut?.kind == .client)
        #expect(try connection.query("SELECT count(*) FROM t")[0, 0] == "0")
    }
}
