import Foundation
import Testing
@testable import PipecPostgres

@Suite struct PGConnectionTests {
    @Test func connectsWithAURIThatCarriesAPassword() throws {
        let connection = try PGConnection(conninfo: try PostgresTestServer.url())
        #expect(connection.serverVersion >= 150_000)
        #expect(try connection.query("SELECT current_user, 40 + 2").rows == [["postgres", "42"]])
    }

    @Test func connectsWithAKeyValueConnectionString() throws {
        let parts = try PostgresTestServer.components()
        let conninfo = "host=\(parts.host ?? "") port=\(parts.port ?? 0) user=\(parts.user ?? "") "
            + "password='\(parts.password ?? "")' dbname=postgres sslmode=disable application_name=pipec-test"
        let connection = try PGConnection(conninfo: conninfo)
        #expect(try connection.query("SELECT current_setting('application_name')")[0, 0] == "pipec-test")
    }

    @Test func aPostgresSchemeURIWithQueryParametersWorks() throws {
        var parts = try PostgresTestServer.components()
        parts.scheme = "postgres"
        parts.queryItems = [URLQueryItem(name: "sslmode", value: "disable"), URLQueryItem(name: "application_name", value: "uri")]
        let connection = try PGConnection(conninfo: try #require(parts.string))
        #expect(try connection.query("SELECT current_setting('application_name')")[0, 0] == "uri")
    }

    @Test func aWrongPasswordFailsWithoutTheActualPasswordInTheMessage() throws {
        var parts = try PostgresTestServer.components()
        parts.password = "Wrong-S3cret-4711"
        let error = #expect(throws: PGError.self) { try PGConnection(conninfo: try #require(parts.string)) }
        #expect(error?.kind == .connection)
        #expect(error?.message.contains("password authentication failed") == true)
        #expect(error?.message.contains("Wrong-S3cret-4711") == false)
        #expect(error?.description.contains("Wrong-S3cret-4711") == false)
    }

    @Test func aMalformedURIIsReportedWithThePasswordRedacted() throws {
        let error = #expect(throws: PGError.self) {
            try PGConnection(conninfo: "postgresql://postgres:hunter%zz2@127.0.0.1:1/postgres")
        }
        #expect(error?.kind == .connection)
        #expect(error?.message.contains("percent") == true)
        #expect(error?.message.contains("hunter") == false)
        #expect(error?.message.contains("***") == true)
    }

    @Test func redactionCoversEverySpellingOfThePassword() {
        let message = "a s3cr et b s3cr%20et c p@ss d q'uoted"
        #expect(ConnInfoRedaction.redact(message, conninfo: "postgres://u:s3cr%20et@h/db") == "a *** b *** c p@ss d q'uoted")
        #expect(ConnInfoRedaction.redact(message, conninfo: "host=h password=p@ss") == "a s3cr et b s3cr%20et c *** d q'uoted")
        #expect(ConnInfoRedaction.redact(message, conninfo: #"host=h password='q\'uoted' user=u"#) == "a s3cr et b s3cr%20et c p@ss d ***")
        #expect(ConnInfoRedaction.redact(message, conninfo: "postgres://h/db?password=p@ss") == "a s3cr et b s3cr%20et c *** d q'uoted")
    }

    @Test func anUnreachableServerFailsWithLibpqsMessage() throws {
        let error = #expect(throws: PGError.self) {
            try PGConnection(conninfo: "host=127.0.0.1 port=1 user=postgres password=zzTop connect_timeout=5")
        }
        #expect(error?.kind == .connection)
        #expect(error?.message.contains("127.0.0.1") == true)
        #expect(error?.message.contains("zzTop") == false)
    }

    @Test func noticesGoToTheHandlerWithTheirFields() throws {
        let connection = try PGConnection(conninfo: try PostgresTestServer.url())
        var received: [PGError] = []
        connection.noticeHandler = { received.append($0) }
        try connection.execute("""
            DO $$ BEGIN RAISE NOTICE 'first %', 1 USING DETAIL = 'some detail'; RAISE WARNING 'second'; END $$;
            """)
        #expect(received.map(\.severity) == ["NOTICE", "WARNING"])
        #expect(received.map(\.message) == ["first 1", "second"])
        #expect(received.first?.detail == "some detail")
        #expect(received.first?.sqlstate == "00000")
        connection.noticeHandler = nil
        try connection.execute("DO $$ BEGIN RAISE NOTICE 'dropped'; END $$")
        #expect(received.count == 2)
    }

    @Test func noticesAreNotPrintedToStandardError() throws {
        let connection = try PGConnection(conninfo: try PostgresTestServer.url())
        let captured = try StandardErrorCapture.capture {
            try connection.execute("""
                DO $$ BEGIN RAISE NOTICE 'pipec-notice-7f3a'; RAISE WARNING 'pipec-warning-7f3a'; END $$;
                """)
        }
        #expect(!captured.contains("pipec-notice-7f3a"))
        #expect(!captured.contains("pipec-warning-7f3a"))
        // The statement itself ran: the connection works after it.
        #expect(try connection.query("SELECT 1")[0, 0] == "1")
    }
}

/// Redirects file descriptor 2 to a temporary file while `body` runs and returns what was written.
enum StandardErrorCapture {
    private static let lock = NSLock()

    static func capture(_ body: () throws -> Void) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        let path = NSTemporaryDirectory() + "pipec-stderr-" + UUID().uuidString
        let file = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
        guard file >= 0 else { throw TestSetupError(message: "cannot create \(path)") }
        defer { close(file); unlink(path) }
        let saved = dup(2)
        fflush(nil)
        dup2(file, 2)
        let result = Result { try body() }
        fflush(nil)
        dup2(saved, 2)
        close(saved)
        try result.get()
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
