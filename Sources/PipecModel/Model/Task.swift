import PipecDiagnostics

public enum TaskKind: String, Sendable, Hashable, CaseIterable {
    case sql, load, export, sensor, check, notify
}

public enum TriggerRule: String, Sendable, Hashable {
    case allSuccess = "all_success"
    case allDone = "all_done"
    case oneFailed = "one_failed"
    case allFailed = "all_failed"
    case oneSuccess = "one_success"
    case noneFailed = "none_failed"
}

public enum RetryBackoff: String, Sendable, Hashable {
    case constant, exponential
}

public enum FileFormat: String, Sendable, Hashable {
    case csv, tsv, jsonl, parquet
}

public enum Compression: String, Sendable, Hashable {
    case none, gzip
}

/// An HTTP request against an `http` resource; every string is a template.
public struct HTTPRequest: Sendable, Hashable {
    public var resource: Located<String>
    public var path: TemplateText
    public var method: String
    public var query: [KeyedTemplate]
    public var headers: [KeyedTemplate]
    public var body: TemplateText?
    /// Poll until the response has this status (and header, when given); nil = the first 2xx.
    public var untilStatus: Int?
    public var untilHeader: String?
    public var pokeIntervalMilliseconds: Int64?
}

public struct KeyedTemplate: Sendable, Hashable {
    public var key: String
    public var value: TemplateText
}

/// An object (a file under an `s3` or `file` resource), addressed by a templated key.
public struct ObjectRef: Sendable, Hashable {
    public var resource: Located<String>
    public var key: TemplateText
    public var format: FileFormat
    public var header: Bool
    public var delimiter: String?
    public var compression: Compression
}

public struct QueryRef: Sendable, Hashable {
    public var resource: Located<String>
    public var sql: TemplateText
}

public enum LoadSource: Sendable, Hashable {
    case http(HTTPRequest, format: FileFormat, header: Bool, delimiter: String?)
    case object(ObjectRef)
    case query(QueryRef)
}

public struct LoadTask: Sendable, Hashable {
    public var source: LoadSource
    public var into: Located<String>
    public var strategy: Located<Strategy>?
    public var intervalColumn: Located<String>?
    public var chunkRows: Int
    public var onBadRows: BadRowsPolicy
}

public enum ExportSource: Sendable, Hashable {
    case table(Located<String>, where: TemplateText?)
    case query(QueryRef)
}

public struct ExportTask: Sendable, Hashable {
    public var source: ExportSource
    public var target: ObjectRef
    public var partitionBy: [String]
}

public enum SensorCondition: Sendable, Hashable {
    case http(HTTPRequest)
    case objectKey(resource: Located<String>, key: TemplateText)
    case objectPrefix(resource: Located<String>, prefix: TemplateText)
    case sql(QueryRef)
    case pipeline(name: Located<String>, task: Located<String>?)
}

public struct SensorTask: Sendable, Hashable {
    public var condition: SensorCondition
    public var pokeIntervalMilliseconds: Int64
    public var softFail: Bool
}

public enum CheckTaskRule: Sendable, Hashable {
    case compare(left: QueryRef, right: QueryRef, tolerance: Double)
    case query(QueryRef)
}

public enum TaskBody: Sendable, Hashable {
    case sql(QueryRef)
    case load(LoadTask)
    case export(ExportTask)
    case sensor(SensorTask)
    case check(CheckTaskRule, severity: CheckSeverity)
    case notify(resource: Located<String>, message: TemplateText, subject: TemplateText?)

    public var kind: TaskKind {
        switch self {
        case .sql: return .sql
        case .load: return .load
        case .export: return .export
        case .sensor: return .sensor
        case .check: return .check
        case .notify: return .notify
        }
    }
}

/// Retry, timeout, pool and ordering settings, resolved from `defaults:` and the task's own keys.
public struct RunPolicy: Sendable, Hashable {
    public var retries: Int = 0
    public var retryDelayMilliseconds: Int64 = 60_000
    public var retryBackoff: RetryBackoff = .constant
    public var maxRetryDelayMilliseconds: Int64? = nil
    public var timeoutMilliseconds: Int64? = nil
    public var pool: Located<String>? = nil
    public var dependsOnPast: Bool = false
    public var triggerRule: TriggerRule = .allSuccess

    public init() {}
}

public struct Task: Sendable, Hashable {
    public var name: Located<String>
    public var body: TaskBody
    public var group: Located<String>?
    public var after: [Located<String>]
    public var reads: [Located<String>]
    public var writes: [Located<String>]
    public var policy: RunPolicy
    public var when: TemplateText?
    public var description: String?
    public var item: ForEachItem?

    public var kind: TaskKind { body.kind }
}
