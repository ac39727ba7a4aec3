import Foundation
import PipecAWS
import PipecTestSupport
import Testing

/// The Athena client against moto's Athena (signatures checked): a statement is started, polled to SUCCEEDED and
/// its execution is then found with the SQL and database it was given.
@Suite struct AthenaClientTests {
    let moto: MotoServer
    init() throws { moto = try TestServices.moto() }

    func client(secret: String? = nil) throws -> AthenaClient {
        try AthenaClient(AthenaClient.Config(region: moto.region, endpoint: moto.endpoint, database: "historydb", outputLocation: "s3://athena-results/",
                                             credentials: AWSCredentials(accessKey: moto.accessKey, secretKey: secret ?? moto.secretKey)))
    }

    @Test func statementsRunToCompletion() throws {
        let athena = try client()
        let sql = "ALTER TABLE events_table ADD IF NOT EXISTS PARTITION (year=2010, month=1, day=2) LOCATION 's3://lake/data/year=2010/month=01/day=02/'"
        let execution = try athena.run(sql)
        #expect(execution.state == "SUCCEEDED")
        #expect(execution.query == sql)
        #expect(execution.database == "historydb")
    }

    @Test func aWrongSecretIsRejected() throws {
        #expect { try client(secret: "wrong").start("SELECT 1") } throws: { error in
            guard let e = error as? AthenaError else { return false }
            return e.code.contains("Signature") || e.message.contains("signature")
        }
    }
}
