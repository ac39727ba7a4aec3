@testable import PipecAWS
import Testing

/// Where requests go: path-style for local servers, virtual-host on AWS, keys encoded once, the store's prefix
/// in front, an endpoint mounted below `/` kept.
@Suite struct S3AddressingTests {
    @Test func pathStyleAndVirtualHostURLs() throws {
        let local = try S3Client(S3Config(endpoint: "http://127.0.0.1:5000/", bucket: "lake", prefix: "exports"))
        #expect(local.config.pathStyle)
        #expect(local.location("dt=2025-01-01/a b+c.csv") == ("http://127.0.0.1:5000", "/lake/exports/dt%3D2025-01-01/a%20b%2Bc.csv"))
        #expect(local.bucketLocation() == ("http://127.0.0.1:5000", "/lake"))

        let aws = try S3Client(S3Config(region: "eu-central-1", bucket: "lake"))
        #expect(aws.config.endpoint == "https://s3.eu-central-1.amazonaws.com")
        #expect(!aws.config.pathStyle)
        #expect(aws.location("k/v.parquet") == ("https://lake.s3.eu-central-1.amazonaws.com", "/k/v.parquet"))
        #expect(aws.bucketLocation() == ("https://lake.s3.eu-central-1.amazonaws.com", "/"))

        let mounted = try S3Client(S3Config(endpoint: "https://storage.example.com/s3", bucket: "b", pathStyle: true))
        #expect(mounted.location("x") == ("https://storage.example.com", "/s3/b/x"))
    }

    @Test func partsAreNeverSmallerThanS3Allows() {
        #expect(S3Config(bucket: "b", partSize: 1024).partSize == 5 << 20)
    }
}
