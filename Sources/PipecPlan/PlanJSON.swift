import PipecDiagnostics
import PipecModel
import PipecSchedule

/// The plan's JSON form (docs/plan-format.md): every key always present (null when absent), keys in a fixed
/// order, lists in plan order, instants as ISO 8601 UTC strings. The same plan always gives the same bytes, so
/// the text can be hashed and diffed.
public enum PlanJSON {
    public static let formatName = "pipec-plan"

    public static func encode(_ plan: Plan) -> JSONValue {
        .object(body(plan) + [("sha256", .string(plan.planHash))])
    }

    /// The plan without its own hash, each run written by `run` (the full form unless the hash body asks for less).
    static func body(_ plan: Plan, run: (PlanRun) -> JSONValue = PlanJSON.run) -> [(String, JSONValue)] {
        [
            ("format", .string(formatName)),
            ("format_version", .int(plan.formatVersion)),
            ("pipeline", .string(plan.pipeline)),
            ("spec", .object([("file", .string(plan.specFile)), ("sha256", .string(plan.specHash))])),
            ("params", .object(plan.params.map { ($0.key, .string($0.value)) })),
            ("resolved", .bool(plan.resolved)),
            ("environment", .array(plan.environmentReferences.map(JSONValue.string))),
            ("resources", .array(plan.resources.map(resource))),
            ("catalog", plan.catalog.map(catalog) ?? .null),
            ("ensure", .array(plan.ensure.map(ensure))),
            ("runs", .array(plan.runs.map(run))),
        ]
    }

    static func resource(_ r: PlanResource) -> JSONValue {
        .object([
            ("name", .string(r.name)),
            ("kind", .string(r.kind.rawValue)),
            ("dialect", optional(r.dialect?.rawValue)),
            ("settings", .object(r.settings.map { ($0.key, .string($0.value)) })),
            ("headers", .array(r.headers.map { .string($0.key) })),
        ])
    }

    static func catalog(_ c: PlanCatalog) -> JSONValue {
        .object([
            ("resource", .string(c.resource)), ("dialect", .string(c.dialect.rawValue)), ("database", .string(c.database)),
            ("runs", .string(c.runs)), ("task_instances", .string(c.taskInstances)), ("check_results", .string(c.checkResults)),
            ("lineage", .string(c.lineage)), ("columns", .string(c.columns)),
        ])
    }

    static func ensure(_ a: EnsureAction) -> JSONValue {
        .object([
            ("kind", .string(a.kind.rawValue)), ("object", .string(a.object)), ("resource", .string(a.resource)),
            ("dialect", .string(a.dialect.rawValue)), ("statements", strings(a.statements)),
        ])
    }

    static func run(_ r: PlanRun) -> JSONValue {
        run(r, units: .array(r.units.map(unit)))
    }

    /// What the plan hash covers: every field, with each unit standing in as its id, stage and content hash
    /// (which covers the rest of the unit), so a large plan is not serialized twice.
    static func hashBody(_ plan: Plan) -> [(String, JSONValue)] {
        body(plan) { r in
            run(r, units: .array(r.units.map { u in
                .object([("id", .string(u.id)), ("stage", .int(u.stage)), ("sha256", .string(u.contentHash))])
            }))
        }
    }

    static func run(_ r: PlanRun, units: JSONValue) -> JSONValue {
        .object([
            ("index", .int(r.index)),
            ("run_id", .string(r.runId)),
            ("ds", .string(r.ds)),
            ("semantics", .string(r.semantics.rawValue)),
            ("logical_date", instant(r.logicalDate)),
            ("data_interval", .object([("start", instant(r.dataIntervalStart)), ("end", instant(r.dataIntervalEnd))])),
            ("interval", .object([("start", instant(r.intervalStart)), ("end", instant(r.intervalEnd))])),
            ("setup", .array(r.setup.map(step))),
            ("units", units),
        ])
    }

    static func unit(_ u: PlanUnit) -> JSONValue {
        .object(unitFields(u, includingStage: true) + [("sha256", .string(u.contentHash))])
    }

    /// A unit's fields without its hash; without `stage` for the content hash, which describes what the unit
    /// does, not where the graph puts it.
    static func unitFields(_ u: PlanUnit, includingStage: Bool) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("id", .string(u.id)),
            ("kind", .string(u.kind.rawValue)),
            ("strategy", optional(u.strategy?.rawValue)),
        ]
        if includingStage { fields.append(("stage", .int(u.stage))) }
        fields += [
            ("resource", optional(u.resource)),
            ("dialect", optional(u.dialect?.rawValue)),
            ("group", optional(u.group)),
            ("description", optional(u.description)),
            ("policy", policy(u.policy)),
            ("when", u.when.map(text) ?? .null),
            ("upstream", strings(u.upstream)),
        ]
        // Only where there are some, so plans without ordering edges keep their form and hashes.
        if !u.orderingUpstream.isEmpty { fields.append(("ordering_upstream", strings(u.orderingUpstream))) }
        fields += [
            ("runtime_outputs", strings(u.runtimeOutputs)),
            ("steps", .array(u.steps.map(step))),
        ]
        return fields
    }

    static func policy(_ p: PlanPolicy) -> JSONValue {
        .object([
            ("retries", .int(p.retries)),
            ("retry_delay_ms", .int(Int(p.retryDelayMilliseconds))),
            ("retry_backoff", .string(p.retryBackoff.rawValue)),
            ("max_retry_delay_ms", optionalInt(p.maxRetryDelayMilliseconds)),
            ("timeout_ms", optionalInt(p.timeoutMilliseconds)),
            ("pool", .string(p.pool)),
            ("depends_on_past", .bool(p.dependsOnPast)),
            ("trigger_rule", .string(p.triggerRule.rawValue)),
            ("max_active_runs", p.maxActiveRuns.map { .int($0) } ?? .null),
        ])
    }

    static func text(_ t: PlanText) -> JSONValue {
        switch t {
        case .rendered(let s):
            return .object([("type", .string("rendered")), ("text", .string(s))])
        case .deferred(let d):
            return .object([
                ("type", .string("deferred")), ("template", .string(d.template)), ("outputs", strings(d.outputs)),
                ("origin", .object([("file", .string(d.file)), ("line", .int(d.line)), ("column", .int(d.column)), ("indent", .int(d.indent))])),
            ])
        }
    }

    static func step(_ s: PlanStep) -> JSONValue {
        switch s {
        case .sql(let q):
            // `returns_value` only when true, so plans without value-returning tasks keep their form.
            return .object([
                ("type", .string("sql")), ("resource", .string(q.resource)), ("dialect", .string(q.dialect.rawValue)),
                ("purpose", .string(q.purpose)), ("transactional", .bool(q.transactional)), ("statements", strings(q.statements)),
                ("note", optional(q.note)),
            ] + (q.returnsValue ? [("returns_value", .bool(true))] : []))
        case .wait(let w):
            return .object([
                ("type", .string("wait")), ("resource", .string(w.resource)), ("dialect", .string(w.dialect.rawValue)),
                ("purpose", .string(w.purpose)), ("query", .string(w.query)), ("poll_interval_ms", .int(Int(w.pollIntervalMilliseconds))),
            ])
        case .guardQuery(let g):
            return .object([
                ("type", .string("guard")), ("resource", .string(g.resource)), ("dialect", .string(g.dialect.rawValue)),
                ("message", .string(g.message)), ("query", .string(g.query)),
            ])
        case .load(let l):
            return .object([
                ("type", .string("load")), ("source", loadSource(l.source)), ("resource", .string(l.resource)),
                ("dialect", .string(l.dialect.rawValue)), ("table", .string(l.table)), ("columns", strings(l.columns)),
                ("chunk_rows", .int(l.chunkRows)), ("on_bad_rows", .string(l.onBadRows.rawValue)), ("quarantine_table", optional(l.quarantineTable)),
                ("column_rules", .array(l.columnRules.map { .object([("kind", .string($0.kind.rawValue)), ("nullable", .bool($0.nullable))]) })),
                ("interval_rule", l.intervalRule.map { r in
                    .object([("column", .string(r.column)), ("start", .string(r.interval.start.description)),
                             ("end", .string(r.interval.end.description)), ("date_only", .bool(r.dateOnly))])
                } ?? .null),
            ])
        case .export(let e):
            return .object([
                ("type", .string("export")), ("query", query(e.query)), ("target", object(e.target)), ("layout", layout(e.layout)),
                ("partition_by", strings(e.partitionBy)),
            ])
        case .sensor(let s):
            return .object([
                ("type", .string("sensor")), ("probe", probe(s.probe)), ("poke_interval_ms", .int(Int(s.pokeIntervalMilliseconds))),
                ("timeout_ms", optionalInt(s.timeoutMilliseconds)), ("soft_fail", .bool(s.softFail)),
            ])
        case .check(let c):
            return .object([
                ("type", .string("check")), ("name", .string(c.name)), ("table", optional(c.table)), ("severity", .string(c.severity.rawValue)),
                ("assertion", .string(c.assertion)), ("probe", checkProbe(c.probe)), ("on_violation", .string(c.onViolation.rawValue)),
                ("remediation", .array(c.remediation.map(step))),
            ])
        case .notify(let n):
            return .object([
                ("type", .string("notify")), ("resource", .string(n.resource)), ("kind", .string(n.kind.rawValue)),
                ("subject", n.subject.map(text) ?? .null), ("message", text(n.message)),
            ])
        }
    }

    static func loadSource(_ s: PlanLoadSource) -> JSONValue {
        switch s {
        case .http(let call, let l, let ready):
            return .object([("type", .string("http")), ("request", http(call)), ("layout", layout(l)),
                            ("until", .object([("status", ready.untilStatus.map { .int($0) } ?? .null), ("header", optional(ready.untilHeader)),
                                               ("poke_interval_ms", .int(Int(ready.pollMilliseconds)))]))])
        case .object(let o, let l): return .object([("type", .string("object")), ("object", object(o)), ("layout", layout(l))])
        case .query(let q): return .object([("type", .string("query")), ("query", query(q))])
        }
    }

    static func probe(_ p: SensorProbe) -> JSONValue {
        switch p {
        case .http(let call, let status, let header):
            return .object([("type", .string("http")), ("request", http(call)), ("until_status", status.map { .int($0) } ?? .null),
                            ("until_header", optional(header))])
        case .objectKey(let o): return .object([("type", .string("object_key")), ("object", object(o))])
        case .objectPrefix(let o): return .object([("type", .string("object_prefix")), ("object", object(o))])
        case .sql(let q): return .object([("type", .string("sql")), ("query", query(q))])
        case .pipeline(let name, let task): return .object([("type", .string("pipeline")), ("pipeline", .string(name)), ("task", optional(task))])
        }
    }

    static func checkProbe(_ p: CheckProbe) -> JSONValue {
        switch p {
        case .query(let violations, let sample, let limit):
            return .object([("type", .string("query")), ("violations", query(violations)), ("sample", optional(sample)), ("sample_limit", .int(limit))])
        case .compare(let left, let right, let tolerance):
            return .object([("type", .string("compare")), ("left", query(left)), ("right", query(right)), ("tolerance", .double(tolerance))])
        }
    }

    static func query(_ q: PlanQuery) -> JSONValue {
        .object([("resource", .string(q.resource)), ("dialect", .string(q.dialect.rawValue)), ("sql", .string(q.sql))])
    }

    static func http(_ h: HTTPCall) -> JSONValue {
        .object([
            ("resource", .string(h.resource)), ("method", .string(h.method)), ("base_url", .string(h.baseURL)), ("path", .string(h.path)),
            ("query", pairs(h.query)), ("headers", pairs(h.headers)), ("body", optional(h.body)),
        ])
    }

    static func object(_ o: ObjectAddress) -> JSONValue {
        .object([("resource", .string(o.resource)), ("kind", .string(o.kind.rawValue)), ("container", .string(o.container)), ("key", .string(o.key))])
    }

    static func layout(_ l: FileLayout) -> JSONValue {
        .object([("format", .string(l.format.rawValue)), ("compression", .string(l.compression.rawValue)), ("header", .bool(l.header)),
                 ("delimiter", optional(l.delimiter))])
    }

    /// Ordered name/value pairs as a list of two-element lists: query parameters may repeat a name.
    static func pairs(_ items: [KeyValue]) -> JSONValue {
        .array(items.map { .array([.string($0.key), .string($0.value)]) })
    }

    static func strings(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }
    static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    static func optionalInt(_ i: Int64?) -> JSONValue { i.map { .int(Int($0)) } ?? .null }
    static func instant(_ i: Instant) -> JSONValue { .string(i.description) }
}
