import Foundation
import Testing
@testable import PipecPostgres

@Suite struct PGTransactionTests {
    struct Boom: Error {}

    func connectWithTable() throws -> (PGConnection, String) {
        let connection = try PGConnection(conninfo: try PostgresTestServer.url())
        let table = PostgresTestServer.uniqueName("tx")
        try connection.execute("CREATE TABLE \(table) (x int)")
        return (connection, table)
    }

    @Test func rollbackReallyRollsBack() throws {
        let (connection, table) = try connectWithTable()
        defer { _ = try? connection.execute("DROP TABLE \(table)") }
        try connection.begin()
        #expect(connection.isInTransaction)
        try connection.execute("INSERT INTO \(table) SELECT generate_series(1, 10)")
        #expect(try connection.query("SELECT count(*) FROM \(table)")[0, 0] == "10")
        // Uncommitted rows are invisible to another session.
        #expect(try PSQL.run("SELECT count(*) FROM \(table)") == "0")
        try connection.rollback()
        #expect(!connection.isInTransaction)
        #expect(try PSQL.run("SELECT count(*) FROM \(table)") == "0")
        #expect(try connection.query("SELECT count(*) FROM \(table)")[0, 0] == "0")
    }

    @Test func aTransactionCommitsWhenTheBodyReturns() throws {
        let (connection, table) = try connectWithTable()
        defer { _ = try? connection.execute("DROP TABLE \(table)") }
        let inserted = try connection.transaction {
            try connection.execute("INSERT INTO \(table) VALUES (1), (2)").rowsAffected
        }
        #expect(inserted == 2)
        #expect(try PSQL.run("SELECT sum(x) FROM \(table)") == "3")
    }

    @Test func aThrowingBodyRollsBack() throws {
        let (connection, table) = try connectWithTable()
        defer { _ = try? connection.execute("DROP TABLE \(table)") }
        #expect(throws: Boom.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO \(table) VALUES (1)")
                throw Boom()
            }
        }
        #expect(!connection.isInTransaction)
        #expect(try PSQL.run("SELECT count(*) FROM \(table)") == "0")
    }

    @Test func committingAFailedTransactionIsAnError() throws {
        let (connection, table) = try connectWithTable()
        defer { _ = try? connection.execute("DROP TABLE \(table)") }
        try connection.begin()
        try connection.execute("INSERT INTO \(table) VALUES (1)")
        #expect(throws: PGError.self) { try connection.execute("SELECT 1/0") }
        let error = #expect(throws: PGError.self) { try connection.commit() }
        #expect(error?.sqlstate == "25P02")
        #expect(!connection.isInTransaction)
        #expect(try PSQL.run("SELECT count(*) FROM \(table)") == "0")
    }

    @Test func aNestedTransactionIsASavepoint() throws {
        let (connection, table) = try connectWithTable()
        defer { _ = try? connection.execute("DROP TABLE \(table)") }
        try connection.transaction {
            try connection.execute("INSERT INTO \(table) VALUES (1)")
            #expect(throws: PGError.self) {
                try connection.transaction {
                    try connection.execute("INSERT INTO \(table) VALUES (2)")
                    try connection.execute("SELECT 1/0")
                }
            }
            try connection.transaction { try connection.execute("INSERT INTO \(table) VALUES (3)") }
        }
        #expect(try PSQL.run("SELECT string_agg(x::text, ',' ORDER BY x) FROM \(table)") == "1,3")
    }
}
