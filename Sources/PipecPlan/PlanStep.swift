import PipecModel

/// One step of a unit: the closed set of things the executor knows how to do. Every consumer (the printers, the
/// JSON writer, the executor) switches over it exhaustively, so a new kind of step cannot be forgotten by one.
public indirect enum PlanStep: Sendable, Hashable {
    /// Statements on a database, in order; in one transaction when `transactional`.
    case sql(SQLStep)
    /// Poll a query until it returns 0 (ClickHouse mutations, which 18.16 cannot run synchronously).
    case wait(WaitStep)
    /// A query that must return 0, or the unit fails with the step's message (safety nets before a swap).
    case guardQuery(GuardStep)
    /// Stream rows from a source into a table.
    case load(LoadStep)
    /// Write a query's rows to object storage.
    case export(ExportStep)
    /// Wait until a condition holds.
    case sensor(SensorStep)
    /// Assert something about data; recorded in the validation log.
    case check(CheckStep)
    /// Send a message to a webhook or e-mail resource.
    case notify(NotifyStep)
}

/// A query to run on a database resource.
public struct PlanQuery: Sendable, Hashable {
    public var resource: String
    public var dialect: Dialect
    public var sql: String

    public init(resource: String, dialect: Dialect, sql: String) {
        self.resource = resource
        self.dialect = dialect
        self.sql = sql
    }
}

public struct SQLStep: Sendable, Hashable {
    public var resource: String
    public var dialect: Dialect
    /// What the statements achieve, for logs and the dry run ("build into the staging table").
    public var purpose: String
    /// Run all statements in one transaction (PostgreSQL and SQLite only; ClickHouse has none).
    public var transactional: Bool
    /// Complete statements without trailing semicolons, one per entry.
    public var statements: [String]
    /// Caveats a reviewer should know (e.g. that a ClickHouse delete + insert is not atomic).
    public var note: String?
    /// The last statement is a query whose first row's first column is the task's `value` (a `sql` task such as
    /// `SELECT 42`, SPEC.md's "value for a scalar sql query").
    public var returnsValue: Bool

    public init(resource: String, dialect: Dialect, purpose: String, transactional: Bool, statements: [String], note: String? = nil,
                returnsValue: Bool = false) {
        self.resource = resource
        self.dialect = dialect
        self.purpose = purpose
        self.transactional = transactional
        self.statements = statements
        self.note = note
        self.returnsValue = returnsValue
    }
}

public struct WaitStep: Sendable, Hashable {
    public var resource: String
    public var dialect: Dialect
    public var purpose: String
    /// Returns one number; the step is done when it is 0.
    public var query: String
    public var pollIntervalMilliseconds: Int64

    public init(resource: String, dialect: Dialect, purpose: String, query: String, pollIntervalMilliseconds: Int64) {
        self.resource = resource
        self.dialect = dialect
        self.purpose = purpose
        self.query = query
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
    }
}

public struct GuardStep: Sendable, Hashable {
    public var resource: String
    public var dialect: Dialect
    /// The failure message when the query returns anything but 0.
    public var message: String
    /// Returns one number.
    public var query: String

    public init(resource: String, dialect: Dialect, message: String, query: String) {
        self.resource = resource
        self.dialect = dialect
        self.message = message
        self.query = query
    }
}

/// An HTTP request against an `http` resource. Header values are never in a plan: every header is a secret, so
/// the executor takes them from the spec (resource headers resolved from the environment, request headers
/// rendered like the rest of the request).
public struct HTTPCall: Sendable, Hashable {
    public var resource: String
    public var method: String
    /// The resource's `base_url` as displayed (a `${env:...}` reference unless resolved).
    public var baseURL: String
    public var path: String
    public var query: [KeyValue]
    /// Resource headers, then request headers, each with the value `***`.
    public var headers: [KeyValue]
    public var body: String?

    public init(resource: String, method: String, baseURL: String, path: String, query: [KeyValue], headers: [KeyValue], body: String?) {
        self.resource = resource
        self.method = method
        self.baseURL = baseURL
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// An object (or key prefix) on an `s3` or `file` resource.
public struct ObjectAddress: Sendable, Hashable {
    public var resource: String
    public var kind: ResourceKind
    /// The bucket (s3) or root folder (file), as displayed.
    public var container: String
    public var key: String

    public init(resource: String, kind: ResourceKind, container: String, key: String) {
        self.resource = resource
        self.kind = kind
        self.container = container
        self.key = key
    }
}

/// How the bytes of a file are laid out.
public struct FileLayout: Sendable, Hashable {
    public var format: FileFormat
    public var compression: Compression
    /// CSV/TSV: the first line names the columns.
    public var header: Bool
    public var delimiter: String?

    public init(format: FileFormat, compression: Compression, header: Bool, delimiter: String?) {
        self.format = format
        self.compression = compression
        self.header = header
        self.delimiter = delimiter
    }
}

/// When an http load's response is ready to read: the awaited status (nil: any 2xx) and header, and how often
/// to ask again meanwhile (the load's `until:` and `poke_interval`).
public struct HTTPReadiness: Sendable, Hashable {
    public var untilStatus: Int?
    public var untilHeader: String?
    public var pollMilliseconds: Int64

    public init(untilStatus: Int?, untilHeader: String?, pollMilliseconds: Int64) {
        self.untilStatus = untilStatus
        self.untilHeader = untilHeader
        self.pollMilliseconds = pollMilliseconds
    }

    /// What a load without `until:` or `poke_interval` does: the first 2xx, polled every 10s.
    public static let firstSuccess = HTTPReadiness(untilStatus: nil, untilHeader: nil, pollMilliseconds: 10_000)
}

public enum PlanLoadSource: Sendable, Hashable {
    case http(HTTPCall, FileLayout, HTTPReadiness)
    case object(ObjectAddress, FileLayout)
    case query(PlanQuery)
}

/// Stream a source's rows into `table` (created empty by the step before), in chunks of `chunkRows`. The steps
/// after it move the rows into the target table.
public struct LoadStep: Sendable, Hashable {
    public var source: PlanLoadSource
    public var resource: String
    public var dialect: Dialect
    /// The SQL name of the table the rows are streamed into.
    public var table: String
    /// Its columns in order: CSV/TSV with a header map by name, without one by position; JSON lines by name.
    public var columns: [String]
    public var chunkRows: Int
    public var onBadRows: BadRowsPolicy
    /// Where unparseable rows go under `on_bad_rows: quarantine` (SQL name), else nil.
    public var quarantineTable: String?
    /// Per column of `columns`: what its values must look like (empty: nothing is checked).
    public var columnRules: [LoadColumnRule]
    /// For interval loads (`append`, `replace_interval`): the range every row's time must lie in.
    public var intervalRule: LoadIntervalRule?

    public init(source: PlanLoadSource, resource: String, dialect: Dialect, table: String, columns: [String], chunkRows: Int,
                onBadRows: BadRowsPolicy, quarantineTable: String?, columnRules: [LoadColumnRule] = [], intervalRule: LoadIntervalRule? = nil) {
        self.source = source
        self.resource = resource
        self.dialect = dialect
        self.table = table
        self.columns = columns
        self.chunkRows = chunkRows
        self.onBadRows = onBadRows
        self.quarantineTable = quarantineTable
        self.columnRules = columnRules
        self.intervalRule = intervalRule
    }
}

public struct ExportStep: Sendable, Hashable {
    public var query: PlanQuery
    public var target: ObjectAddress
    public var layout: FileLayout
    /// Hive-style `column=value/` folders, one object per distinct value combination.
    public var partitionBy: [String]

    public init(query: PlanQuery, target: ObjectAddress, layout: FileLayout, partitionBy: [String]) {
        self.query = query
        self.target = target
        self.layout = layout
        self.partitionBy = partitionBy
    }
}

public enum SensorProbe: Sendable, Hashable {
    /// Until the response has `status` (any 2xx when nil) and, when given, the header.
    case http(HTTPCall, untilStatus: Int?, untilHeader: String?)
    case objectKey(ObjectAddress)
    case objectPrefix(ObjectAddress)
    /// Until the query's single value is true (non-zero, non-empty).
    case sql(PlanQuery)
    /// Until a task (or the whole run) of another pipeline succeeded for the same logical date, per the state store.
    case pipeline(name: String, task: String?)
}

public struct SensorStep: Sendable, Hashable {
    public var probe: SensorProbe
    public var pokeIntervalMilliseconds: Int64
    /// The unit's timeout; nil waits forever.
    public var timeoutMilliseconds: Int64?
    /// On timeout: skip (true) instead of failing.
    public var softFail: Bool

    public init(probe: SensorProbe, pokeIntervalMilliseconds: Int64, timeoutMilliseconds: Int64?, softFail: Bool) {
        self.probe = probe
        self.pokeIntervalMilliseconds = pokeIntervalMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.softFail = softFail
    }
}

public enum CheckProbe: Sendable, Hashable {
    /// `violations` returns one row whose first column, `violations`, is 0 when the check passes (aggregate
    /// checks add `observed`, what was measured, for the log); `sample`, when present, runs on the same
    /// resource and returns up to `sampleLimit` offending rows for the report.
    case query(violations: PlanQuery, sample: String?, sampleLimit: Int)
    /// Both queries return the same shape; they pass when every value matches, numbers within `tolerance`
    /// (relative difference; 0 = exact).
    case compare(left: PlanQuery, right: PlanQuery, tolerance: Double)
}

public struct CheckStep: Sendable, Hashable {
    /// `not_null`, `unique`, ..., or the check task's name.
    public var name: String
    /// The table checked, for table checks.
    public var table: String?
    public var severity: CheckSeverity
    /// The assertion in words, for the validation log.
    public var assertion: String
    public var probe: CheckProbe
    /// What violations do: fail the unit (error severity), or be moved aside / dropped and counted.
    public var onViolation: BadRowsPolicy
    /// Run only when violations were found (quarantine / skip_with_count), then the check counts as passed.
    public var remediation: [PlanStep]

    public init(name: String, table: String?, severity: CheckSeverity, assertion: String, probe: CheckProbe, onViolation: BadRowsPolicy,
                remediation: [PlanStep]) {
        self.name = name
        self.table = table
        self.severity = severity
        self.assertion = assertion
        self.probe = probe
        self.onViolation = onViolation
        self.remediation = remediation
    }
}

public struct NotifyStep: Sendable, Hashable {
    public var resource: String
    public var kind: ResourceKind
    public var subject: PlanText?
    public var message: PlanText

    public init(resource: String, kind: ResourceKind, subject: PlanText?, message: PlanText) {
        self.resource = resource
        self.kind = kind
        self.subject = subject
        self.message = message
    }
}

extension PlanStep {
    /// Every SQL text of the step, in order (for scanning and tests).
    public var sqlTexts: [String] {
        switch self {
        case .sql(let s): return s.statements
        case .wait(let w): return [w.query]
        case .guardQuery(let g): return [g.query]
        case .load(let l):
            if case .query(let q) = l.source { return [q.sql] }
            return []
        case .export(let e): return [e.query.sql]
        case .sensor(let s):
            if case .sql(let q) = s.probe { return [q.sql] }
            return []
        case .check(let c):
            var out: [String]
            switch c.probe {
            case .query(let v, let sample, _): out = [v.sql] + (sample.map { [$0] } ?? [])
            case .compare(let l, let r, _): out = [l.sql, r.sql]
            }
            return out + c.remediation.flatMap(\.sqlTexts)
        case .notify: return []
        }
    }
}
