import Foundation
import PipecAWS
import PipecClickHouse
import PipecIO
import PipecModel
import PipecSchedule

/// Opens each resource the first time a unit needs it and keeps it for the rest of the apply: one connection per
/// database resource, one store per object resource. Settings are resolved from the environment here, so a
/// missing variable is reported by the unit that needed it.
public final class Resources: @unchecked Sendable {
    let pipeline: Pipeline
    let environment: [String: String]
    private let lock = NSLock()
    private var engines: [String: any SQLEngine] = [:]
    private var stores: [String: any ObjectStore] = [:]

    public init(pipeline: Pipeline, environment: [String: String]) {
        self.pipeline = pipeline
        self.environment = environment
    }

    /// A setting's value with `${env:...}` resolved.
    func setting(_ resource: Resource, _ key: String) throws -> String? {
        guard let value = resource[key] else { return nil }
        switch value.resolve(environment) {
        case .success(let s): return s
        case .failure(let missing):
            throw EngineError("\(missing.location): environment variable \(missing.name) is not set (needed by '\(key)' of resource '\(resource.name.value)')")
        }
    }

    /// A path relative to the project root (where `templates/` lives), as SQLite paths and file roots are written.
    func projectPath(_ path: String) -> String {
        path.hasPrefix("/") ? path : (pipeline.projectRoot as NSString).appendingPathComponent(path)
    }

    /// Whether `path` lies under the project root: only there does pipec create missing folders.
    func isInsideProject(_ path: String) -> Bool {
        let root = URL(fileURLWithPath: pipeline.projectRoot).standardizedFileURL.path
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        return target.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    public func engine(_ name: String) throws -> any SQLEngine {
        try lock.withLock {
            if let e = engines[name] { return e }
            guard let resource = pipeline.resource(name) else { throw EngineError("unknown resource '\(name)'") }
            let engine: any SQLEngine
            switch resource.kind {
            case .sqlite:
                let path = projectPath(try setting(resource, "path") ?? ".pipec/\(name).sqlite")
                engine = try SQLiteEngine(path: path, createFolders: isInsideProject(path))
            case .postgres:
                guard let dsn = try setting(resource, "dsn"), !dsn.isEmpty else {
                    throw EngineError("resource '\(name)' has an empty dsn")
                }
                engine = try PostgresEngine(conninfo: dsn)
            case .clickhouse:
                guard let url = try setting(resource, "url"), !url.isEmpty else { throw EngineError("resource '\(name)' has an empty url") }
                let timeout = try setting(resource, "timeout").flatMap { try? SpecDuration.parse($0).get().seconds }
                engine = try ClickHouseHTTPEngine(config: ClickHouseConfig(
                    url: url, user: try setting(resource, "user"), password: try setting(resource, "password"),
                    database: try setting(resource, "database"), maxExecutionSeconds: timeout.map { Int($0) } ?? 3600))
            case .athena:
                guard let region = try setting(resource, "region"), !region.isEmpty, let output = try setting(resource, "output"), !output.isEmpty else {
                    throw EngineError("athena resource '\(name)' needs a region and an output location")
                }
                let credentials = AWSCredentials.resolve(accessKey: try setting(resource, "access_key"), secretKey: try setting(resource, "secret_key"),
                                                         environment: environment)
                engine = try AthenaEngine(config: AthenaClient.Config(
                    region: region, endpoint: try setting(resource, "endpoint"), database: try setting(resource, "database"),
                    outputLocation: output, workgroup: try setting(resource, "workgroup"), credentials: credentials))
            default:
                throw EngineError("resource '\(name)' is a \(resource.kind.rawValue) resource, which runs no SQL")
            }
            engines[name] = engine
            return engine
        }
    }

    public func store(_ name: String) throws -> any ObjectStore {
        try lock.withLock {
            if let s = stores[name] { return s }
            guard let resource = pipeline.resource(name) else { throw EngineError("unknown resource '\(name)'") }
            let store: any ObjectStore
            switch resource.kind {
            case .file:
                store = LocalFileStore(root: projectPath(try setting(resource, "root") ?? name))
            case .s3:
                guard let bucket = try setting(resource, "bucket"), !bucket.isEmpty else { throw EngineError("s3 resource '\(name)' has an empty bucket") }
                let credentials = AWSCredentials.resolve(accessKey: try setting(resource, "access_key"), secretKey: try setting(resource, "secret_key"),
                                                         environment: environment)
                let pathStyle = try setting(resource, "path_style").map { ["true", "yes", "1"].contains($0.lowercased()) }
                store = try S3ObjectStore(S3Config(endpoint: try setting(resource, "endpoint"), region: try setting(resource, "region") ?? "us-east-1",
                                                   bucket: bucket, pathStyle: pathStyle, prefix: try setting(resource, "prefix") ?? "",
                                                   credentials: credentials))
            default:
                throw EngineError("resource '\(name)' is a \(resource.kind.rawValue) resource, which holds no objects (s3 and file resources do)")
            }
            stores[name] = store
            return store
        }
    }
}
