import Foundation
import PipecAWS
import PipecIO
import PipecTestSupport
import Testing

/// The S3 store against moto_server with signature checking on, so a request signed wrongly fails the test.
@Suite struct S3ObjectStoreTests {
    let moto: MotoServer
    let config: S3Config

    init() throws {
        moto = try TestServices.moto()
        let bucket = "pipec-test-" + String(UUID().uuidString.prefix(8)).lowercased()
        config = S3Config(endpoint: moto.endpoint, region: moto.region, bucket: bucket, prefix: "base",
                          credentials: AWSCredentials(accessKey: moto.accessKey, secretKey: moto.secretKey), partSize: 5 << 20)
        try S3Client(config).createBucket()
    }

    private func readAll(_ store: S3ObjectStore, _ key: String) throws -> [UInt8] {
        var reader = try store.reader(for: key)
        var bytes: [UInt8] = []
        while true {
            let chunk = try reader.read(maxCount: 1 << 20)
            if chunk.isEmpty { return bytes }
            bytes += chunk
        }
    }

    @Test func objectsRoundTripUnderAwkwardKeys() throws {
        let store = try S3ObjectStore(config)
        let keys = ["raw/2025/01/data.csv", "with space/a+b=c.csv", "year=2025/month=01/day=02/data.csv"]
        for key in keys {
            var writer = try store.writer(for: key, contentType: "text/csv")
            try writer.write(Array("id,name\n1,\(key)\n".utf8))
            try writer.finish()
        }
        for key in keys {
            #expect(try store.exists(key))
            #expect(String(decoding: try readAll(store, key), as: UTF8.self) == "id,name\n1,\(key)\n")
        }
        #expect(try store.list(prefix: "") == keys.sorted())
        #expect(try store.list(prefix: "year=2025/") == ["year=2025/month=01/day=02/data.csv"])
        #expect(try !store.exists("raw/2025/01/missing.csv"))
        #expect(throws: ObjectStoreError.notFound(store.describe("nope.csv"))) { try store.reader(for: "nope.csv") }
        try store.delete(keys[0])
        #expect(try !store.exists(keys[0]))
        // Keys live under the store's prefix in the bucket.
        let raw = try S3Client(S3Config(endpoint: moto.endpoint, region: moto.region, bucket: config.bucket, credentials: config.credentials))
        #expect(try raw.list(prefix: "base/").count == 2)
    }

    @Test func largeObjectsGoUpInPartsAndComeBackWhole() throws {
        let store = try S3ObjectStore(config)
        var hash = SHA256()
        var writer = try store.writer(for: "big/blob.bin", contentType: "application/octet-stream")
        var total = 0
        for _ in 0..<11 {
            let words = (0..<(1 << 17)).map { _ in UInt64.random(in: 0...UInt64.max) }
            let chunk = words.withUnsafeBytes { Array($0) }
            hash.update(chunk)
            total += chunk.count
            try writer.write(chunk)
        }
        try writer.finish()
        let info = try #require(try store.client.head("big/blob.bin"))
        #expect(info.size == Int64(total))
        #expect(info.etag?.contains("-3") == true, "11 MiB in 5 MiB parts is a 3-part upload: \(info.etag ?? "no etag")")
        var back = SHA256()
        back.update(try readAll(store, "big/blob.bin"))
        #expect(back.hexDigest() == hash.hexDigest())
        #expect(try store.client.read("big/blob.bin", range: 10...19).count == 10)
    }

    @Test func listingFollowsContinuationTokens() throws {
        let client = try S3Client(config)
        for i in 0..<25 { try client.put(String(format: "many/%02d.txt", i), bytes: [UInt8(i)], contentType: "text/plain") }
        let keys = try client.list(prefix: "many/", pageSize: 10)
        #expect(keys == (0..<25).map { String(format: "many/%02d.txt", $0) })
    }

    @Test func aWrongSecretIsRejected() throws {
        var wrong = config
        wrong.credentials = AWSCredentials(accessKey: moto.accessKey, secretKey: "not-the-secret")
        #expect { try S3Client(wrong).put("x.txt", bytes: [1], contentType: "text/plain") } throws: {
            ($0 as? S3Error)?.code == "SignatureDoesNotMatch"
        }
    }

    @Test func anAbortedUploadLeavesNoObject() throws {
        let store = try S3ObjectStore(config)
        var writer = try store.writer(for: "aborted/blob.bin", contentType: "application/octet-stream")
        try writer.write([UInt8](repeating: 7, count: 6 << 20))
        writer.abort()
        #expect(try !store.exists("aborted/blob.bin"))
    }
}
