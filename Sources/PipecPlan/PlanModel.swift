import PipecModel
import PipecSchedule

/// The typed plan of a pipeline for a set of runs: every statement `pipec apply` will send, fully rendered, in
/// the order it will send them.
///
/// A plan is plain data. It is printed by `pipec compile` (text or JSON), saved with `-o`, and carried out by the
/// executor exactly as written; the dry run and the executor are two consumers of the same value, so what a user
/// reviews is what runs. Nothing in it depends on the wall clock, the process environment (unless compiled with
/// `--resolve`) or dictionary order: the same spec and runs give a byte-identical plan.
///
/// Secrets never enter a plan: settings and headers that hold secrets are `***`, and connection details stay
/// spec references (`${env:NAME}`) that the executor resolves when it connects.
public struct Plan: Sendable, Hashable {
    /// The version of the plan format this pipec writes. Readers refuse versions they do not know (see
    /// docs/plan-format.md for the compatibility promise).
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var pipeline: String
    /// The spec file as given on the command line.
    public var specFile: String
    /// SHA-256 over the spec text and every template file it names (see `PlanHashing.specHash`).
    public var specHash: String
    /// `--param` overrides the plan was compiled with, by key.
    public var params: [PlanParam]
    /// True when `${env:...}` references were resolved from the environment (`--resolve`).
    public var resolved: Bool
    /// Environment variables applying the plan reads: those the plan's text still references as `${env:NAME}`
    /// and those behind the resources' settings and headers (secret ones included, by name only; ones with a
    /// default are optional). Sorted.
    public var environmentReferences: [String]
    /// The resources the plan touches, in spec order, with their settings as displayed (secrets `***`).
    public var resources: [PlanResource]
    /// Where run, check, lineage and column records are mirrored (`catalog:`), if anywhere.
    public var catalog: PlanCatalog?
    /// Idempotent DDL run once before the first run: schemas, tables, quarantine and catalog tables, then views in
    /// dependency order.
    public var ensure: [EnsureAction]
    public var runs: [PlanRun]
    /// SHA-256 of the plan's canonical JSON without this field (see `PlanHashing`).
    public var planHash: String

    public init(formatVersion: Int = Plan.currentFormatVersion, pipeline: String, specFile: String, specHash: String,
                params: [PlanParam], resolved: Bool, environmentReferences: [String], resources: [PlanResource],
                catalog: PlanCatalog?, ensure: [EnsureAction], runs: [PlanRun], planHash: String = "") {
        self.formatVersion = formatVersion
        self.pipeline = pipeline
        self.specFile = specFile
        self.specHash = specHash
        self.params = params
        self.resolved = resolved
        self.environmentReferences = environmentReferences
        self.resources = resources
        self.catalog = catalog
        self.ensure = ensure
        self.runs = runs
        self.planHash = planHash
    }
}

/// One `--param key=value` override, as typed.
public struct PlanParam: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A resource as the plan shows it. Settings are the spec's text (`${env:...}` references unless resolved);
/// secret settings and every header value are `***`.
public struct PlanResource: Sendable, Hashable {
    public var name: String
    public var kind: ResourceKind
    public var dialect: Dialect?
    /// Settings sorted by key.
    public var settings: [KeyValue]
    /// Header names with `***` values (every header value is a secret).
    public var headers: [KeyValue]

    public init(name: String, kind: ResourceKind, dialect: Dialect?, settings: [KeyValue], headers: [KeyValue]) {
        self.name = name
        self.kind = kind
        self.dialect = dialect
        self.settings = settings
        self.headers = headers
    }
}

/// An ordered key/value pair (query parameters, headers, settings): order is meaningful and kept.
public struct KeyValue: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// The catalog tables, as SQL names on the catalog resource. The executor appends a row to `runs` per run, to
/// `taskInstances` per try, to `checkResults` per check; `lineage` and `columns` are written by ensure.
public struct PlanCatalog: Sendable, Hashable {
    public var resource: String
    public var dialect: Dialect
    public var database: String
    public var runs: String
    public var taskInstances: String
    public var checkResults: String
    public var lineage: String
    public var columns: String

    public init(resource: String, dialect: Dialect, database: String, runs: String, taskInstances: String,
                checkResults: String, lineage: String, columns: String) {
        self.resource = resource
        self.dialect = dialect
        self.database = database
        self.runs = runs
        self.taskInstances = taskInstances
        self.checkResults = checkResults
        self.lineage = lineage
        self.columns = columns
    }
}

/// What an ensure action creates.
public enum EnsureKind: String, Sendable, Hashable, CaseIterable {
    /// `CREATE DATABASE` / `CREATE SCHEMA IF NOT EXISTS`.
    case schema
    case table
    /// `<table>__quarantine`, for rows that fail checks or loads under `on_bad_rows: quarantine`.
    case quarantineTable = "quarantine_table"
    case catalogTable = "catalog_table"
    /// The column registry and lineage rows of this pipeline, replaced in the catalog.
    case catalogRecords = "catalog_records"
    case view
    case materializedView = "materialized_view"

    /// Whether the action creates a table-like object (counted in the summary's "tables to ensure").
    public var createsTable: Bool {
        switch self {
        case .table, .quarantineTable, .catalogTable, .view, .materializedView: return true
        case .schema, .catalogRecords: return false
        }
    }
}

/// One idempotent piece of setup: the statements that make `object` exist on `resource`, run in order, each on
/// its own (DDL is not transactional on every engine).
public struct EnsureAction: Sendable, Hashable {
    public var kind: EnsureKind
    /// The spec name of the object (`silver.fact_events`, a schema name, `catalog.runs`).
    public var object: String
    public var resource: String
    public var dialect: Dialect
    public var statements: [String]

    public init(kind: EnsureKind, object: String, resource: String, dialect: Dialect, statements: [String]) {
        self.kind = kind
        self.object = object
        self.resource = resource
        self.dialect = dialect
        self.statements = statements
    }
}

/// One scheduled (or requested) run: its times and its units in execution order.
public struct PlanRun: Sendable, Hashable {
    /// 1-based position among the plan's runs.
    public var index: Int
    public var runId: String
    public var ds: String
    public var semantics: ScheduleSemantics
    public var logicalDate: Instant
    public var dataIntervalStart: Instant
    public var dataIntervalEnd: Instant
    /// The interval strategies, checks and `interval_filter` cover. Equal to the data interval under airflow2;
    /// under airflow3 (whose data interval is one instant) it reaches back to the previous fire time.
    public var intervalStart: Instant
    public var intervalEnd: Instant
    /// Run once before any unit: staging tables recreated empty.
    public var setup: [PlanStep]
    /// Units in execution order: by stage, then declaration order.
    public var units: [PlanUnit]

    public init(index: Int, runId: String, ds: String, semantics: ScheduleSemantics, logicalDate: Instant, dataIntervalStart: Instant,
                dataIntervalEnd: Instant, intervalStart: Instant, intervalEnd: Instant, setup: [PlanStep], units: [PlanUnit]) {
        self.index = index
        self.runId = runId
        self.ds = ds
        self.semantics = semantics
        self.logicalDate = logicalDate
        self.dataIntervalStart = dataIntervalStart
        self.dataIntervalEnd = dataIntervalEnd
        self.intervalStart = intervalStart
        self.intervalEnd = intervalEnd
        self.setup = setup
        self.units = units
    }

    /// Units grouped by stage number (1-based), in order: the units of one stage may run in parallel.
    public var stages: [[PlanUnit]] {
        var out: [[PlanUnit]] = []
        for unit in units {
            while out.count < unit.stage { out.append([]) }
            out[unit.stage - 1].append(unit)
        }
        return out
    }
}

/// What kind of work a unit is.
public enum PlanUnitKind: String, Sendable, Hashable, CaseIterable {
    /// A table build (`build:`), lowered per its strategy.
    case build
    case view
    case materializedView = "materialized_view"
    /// The checks of a table that nothing in the pipeline produces (an external table with checks).
    case tableChecks = "table_checks"
    case sql, load, export, sensor, check, notify
}

/// Retry, timeout, pool and ordering settings of a unit (tables use the pipeline's defaults).
public struct PlanPolicy: Sendable, Hashable {
    public var retries: Int
    public var retryDelayMilliseconds: Int64
    public var retryBackoff: RetryBackoff
    public var maxRetryDelayMilliseconds: Int64?
    public var timeoutMilliseconds: Int64?
    public var pool: String
    public var dependsOnPast: Bool
    public var triggerRule: TriggerRule
    /// The schedule's `max_active_runs` (nil without a schedule).
    public var maxActiveRuns: Int?

    public init(retries: Int, retryDelayMilliseconds: Int64, retryBackoff: RetryBackoff, maxRetryDelayMilliseconds: Int64?,
                timeoutMilliseconds: Int64?, pool: String, dependsOnPast: Bool, triggerRule: TriggerRule, maxActiveRuns: Int?) {
        self.retries = retries
        self.retryDelayMilliseconds = retryDelayMilliseconds
        self.retryBackoff = retryBackoff
        self.maxRetryDelayMilliseconds = maxRetryDelayMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.pool = pool
        self.dependsOnPast = dependsOnPast
        self.triggerRule = triggerRule
        self.maxActiveRuns = maxActiveRuns
    }
}

/// Text that is either rendered now, or a template that can only be rendered while applying because it reads
/// outputs of upstream tasks (`{{ tasks.wait.headers['Rows-Number'] }}`).
public enum PlanText: Sendable, Hashable {
    case rendered(String)
    case deferred(DeferredTemplate)

    /// The text as shown in a dry run: rendered text, or the template itself.
    public var display: String {
        switch self {
        case .rendered(let s): return s
        case .deferred(let d): return d.template
        }
    }
}

/// A template the executor renders when the unit runs, in the same context `pipec compile` uses plus the real
/// outputs of the tasks it names.
public struct DeferredTemplate: Sendable, Hashable {
    public var template: String
    /// `task.output` paths the template reads (`wait_installations.headers`), sorted.
    public var outputs: [String]
    /// Where the template is written, so errors while rendering it point into the spec.
    public var file: String
    public var line: Int
    public var column: Int
    public var indent: Int

    public init(template: String, outputs: [String], file: String, line: Int, column: Int, indent: Int) {
        self.template = template
        self.outputs = outputs
        self.file = file
        self.line = line
        self.column = column
        self.indent = indent
    }
}

/// One unit of work of one run: a table build, a view, or a task.
public struct PlanUnit: Sendable, Hashable {
    /// The table or task name (tables and tasks share one namespace).
    public var id: String
    public var kind: PlanUnitKind
    /// The strategy of a build or load.
    public var strategy: Strategy?
    /// 1-based stage: every upstream unit is in an earlier stage; units of one stage may run in parallel.
    public var stage: Int
    /// The resource the unit's main work runs on, and its dialect when it is a database.
    public var resource: String?
    public var dialect: Dialect?
    public var group: String?
    public var description: String?
    public var policy: PlanPolicy
    /// `when:`: false (or empty) skips this unit and everything downstream of it.
    public var when: PlanText?
    /// Units this one waits for, by id, in the order the graph found them.
    public var upstream: [String]
    /// The ids in `upstream` that this unit only waits for (ordering edges: `after:`, group order); the others are
    /// data edges, whose skips and failures pass down (see `DependencyKind`).
    public var orderingUpstream: [String]
    /// Task outputs (`task.output`) that some statement of this unit reads; such statements hold
    /// `<tasks.NAME.OUTPUT>` markers and the executor renders the unit again with the real values.
    public var runtimeOutputs: [String]
    public var steps: [PlanStep]
    /// SHA-256 of the unit's canonical JSON without this field and without `stage` (see `PlanHashing`).
    public var contentHash: String

    public init(id: String, kind: PlanUnitKind, strategy: Strategy?, stage: Int, resource: String?, dialect: Dialect?, group: String?,
                description: String?, policy: PlanPolicy, when: PlanText?, upstream: [String], orderingUpstream: [String] = [],
                runtimeOutputs: [String], steps: [PlanStep], contentHash: String = "") {
        self.id = id
        self.kind = kind
        self.strategy = strategy
        self.stage = stage
        self.resource = resource
        self.dialect = dialect
        self.group = group
        self.description = description
        self.policy = policy
        self.when = when
        self.upstream = upstream
        self.orderingUpstream = orderingUpstream
        self.runtimeOutputs = runtimeOutputs
        self.steps = steps
        self.contentHash = contentHash
    }
}
