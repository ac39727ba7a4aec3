/// Where a bucket is and how to address it.
public struct S3Config: Sendable {
    /// `https://s3.eu-central-1.amazonaws.com`, or a compatible server (`http://127.0.0.1:5000` for moto, MinIO).
    public var endpoint: String
    public var region: String
    public var bucket: String
    /// Path-style (`endpoint/bucket/key`) rather than virtual-host (`bucket.endpoint/key`) addressing.
    public var pathStyle: Bool
    /// Keys of this store live under this prefix (`exports/`), so specs name keys relative to it.
    public var prefix: String
    public var credentials: AWSCredentials?
    /// Uploads larger than this go up in parts of this size (S3's minimum part size is 5 MiB).
    public var partSize: Int

    public init(endpoint: String? = nil, region: String = "us-east-1", bucket: String, pathStyle: Bool? = nil, prefix: String = "",
                credentials: AWSCredentials? = nil, partSize: Int = 8 << 20) {
        self.region = region.isEmpty ? "us-east-1" : region
        var e = endpoint.flatMap { $0.isEmpty ? nil : $0 } ?? "https://s3.\(self.region).amazonaws.com"
        while e.hasSuffix("/") { e.removeLast() }
        self.endpoint = e
        self.bucket = bucket
        // Virtual-host addressing needs DNS for bucket.host: AWS has it, local servers usually do not.
        self.pathStyle = pathStyle ?? !e.contains("amazonaws.com")
        var p = prefix
        while p.hasPrefix("/") { p.removeFirst() }
        if !p.isEmpty && !p.hasSuffix("/") { p += "/" }
        self.prefix = p
        self.credentials = credentials
        self.partSize = max(5 << 20, partSize)
    }
}
