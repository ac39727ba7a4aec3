import Foundation
import PipecExec
import PipecTestSupport
import Testing

/// Hostile input against every engine (issue 18, point 3): a param rendered into a build, a check expression or a
/// query source can never add a statement, values a load reads are stored as they are, and a value quoted with
/// `sql_literal` stays one value. Each engine runs `Tests/Fixtures/apply/injection/<engine>.yaml`.
@Suite(.serialized) struct InjectionTests {
    /// Closes the build's wrapper (`... FROM (<sql>) AS src`) and starts statements of its own.
    static let payload = "x' AS lit) AS src; DROP TABLE victim; SELECT * FROM (SELECT 'y"
    /// The same against a check expression (`WHERE NOT (<expression>)`).
    static let expressionPayload = "1 = 1); DELETE FROM victim; SELECT (1"

    /// One engine: the spec, a way to read it, and the name of the victim table in SQL.
    struct Engine: Sendable, CustomStringConvertible {
        var name: String
        var description: String { name }
    }
    static let engines = [Engine(name: "sqlite"), Engine(name: "postgres"), Engine(name: "clickhouse")]

    @Test(arguments: engines)
    func hostileParamsNeverAddStatements(_ engine: Engine) throws {
        let (c, read, keep) = try Self.setUp(engine)
        _ = keep
        let prefix = engine.name == "clickhouse" ? "pipec_inj." : ""
        try expectSuccess(c.apply("\(engine.name).yaml", ["--ds", "2025-01-01"]))
        _ = try read("INSERT INTO \(prefix)victim (id) VALUES (42)")
        let payload = Self.payload.replacingOccurrences(of: "victim", with: prefix + "victim")
        let expression = Self.expressionPayload.replacingOccurrences(of: "victim", with: prefix + "victim")

        // A build whose param closes the wrapper: a located error, nothing run.
        let build = try c.apply("\(engine.name).yaml", ["--ds", "2025-01-01", "--rerun", "--only", "\(prefix)lit", "--param", "s=\(payload)"])
        #expect(build.exitCode == 1, "\(build.transcript)")
        #expect(build.output.contains("the build's SQL renders as 3 statements"), "\(build.transcript)")
        // A query source with the same param.
        let query = try c.apply("\(engine.name).yaml", ["--ds", "2025-01-01", "--rerun", "--only", "query_check", "--param", "s=\(payload)"])
        #expect(query.exitCode == 1 && query.output.contains("the query renders as 3 statements"), "\(query.transcript)")
        // A check expression.
        let check = try c.apply("\(engine.name).yaml", ["--ds", "2025-01-01", "--rerun", "--only", "\(prefix)quoted", "--param", "e=\(expression)"])
        #expect(check.exitCode == 1 && check.output.contains("the check's expression renders as 3 statements"), "\(check.transcript)")
        #expect(try read("SELECT id FROM \(prefix)victim") == "42")

        // Quoted with sql_literal, the same text is one value, stored as it is.
        try expectSuccess(c.apply("\(engine.name).yaml", ["--ds", "2025-01-01", "--rerun", "--only", "\(prefix)quoted", "--param", "q=\(payload)"]))
        #expect(try read("SELECT lit FROM \(prefix)quoted") == payload)
        // Values a load reads are data, whatever they hold.
        #expect(try read("SELECT id, name FROM \(prefix)loaded ORDER BY id") == """
            1|x'); DROP TABLE victim; --
            2|Robert'; DELETE FROM victim; SELECT '
            3|a;b
            """)
        #expect(try read("SELECT id FROM \(prefix)victim") == "42")
    }

    /// The spec of `engine` in a fresh copy, a reader of its database, and what must live as long as the test.
    private static func setUp(_ engine: Engine) throws -> (ApplyCase, (String) throws -> String, AnyObject?) {
        switch engine.name {
        case "sqlite":
            let c = try ApplyCase("injection")
            return (c, { try c.sqlite($0) }, nil)
        case "postgres":
            let db = try TestDatabase()
            let c = try ApplyCase("injection", environment: ["PIPEC_TEST_DSN": db.url])
            return (c, { try db.psql($0) }, db)
        default:
            let url = try TestServices.clickHouseURL()
            try ClickHouseReader.dropDatabases(url, ["pipec_inj"])
            let c = try ApplyCase("injection", environment: ["PIPEC_TEST_CLICKHOUSE_URL": url])
            // Raw: TabSeparated would escape the quotes the values are made of.
            return (c, { try ClickHouseReader.query(url, $0.hasPrefix("SELECT") ? $0 + " FORMAT TabSeparatedRaw" : $0) }, nil)
        }
    }
}

/// The engines themselves run one statement per call, whatever text reaches them (a saved plan edited by hand, a
/// bug in a lowering): the second statement is refused before anything runs.
@Suite struct OneStatementPerCallTests {
    @Test func sqliteRefusesASecondStatement() throws {
        let dir = NSTemporaryDirectory() + "pipec-one-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let engine = try SQLiteEngine(path: dir + "/w.sqlite")
        try engine.execute("CREATE TABLE victim (id INTEGER)", cancel: CancellationFlag())
        #expect(throws: EngineError.self) { try engine.execute("SELECT 1; DROP TABLE victim", cancel: CancellationFlag()) }
        #expect(throws: EngineError.self) { try engine.transaction(["SELECT 1; DROP TABLE victim"], cancel: CancellationFlag()) }
        #expect(try engine.query("SELECT count(*) FROM victim", cancel: CancellationFlag()).scalar == 0)
    }

    @Test func postgresRefusesASecondStatement() throws {
        let db = try TestDatabase()
        let engine = try PostgresEngine(conninfo: db.url)
        try engine.execute("CREATE TABLE victim (id int)", cancel: CancellationFlag())
        #expect(throws: EngineError.self) { try engine.execute("SELECT 1; DROP TABLE victim", cancel: CancellationFlag()) }
        #expect(throws: EngineError.self) { try engine.transaction(["SELECT 1; DROP TABLE victim"], cancel: CancellationFlag()) }
        #expect(try db.psql("SELECT count(*) FROM victim") == "0")
    }
}
