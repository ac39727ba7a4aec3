import Foundation
import PipecModel
import PipecSchedule

/// Reads a plan saved with `pipec compile --format json -o PLAN.json` back into a `Plan`, for `pipec apply
/// PLAN.json`. Refuses unknown formats and versions, and plans whose hashes do not match their content (edited
/// by hand, or truncated): an executor must run exactly what was reviewed.
public enum PlanJSONDecoder {
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var message: String
        /// Where in the document, as a JSON path (`runs[0].units[3].steps[1]`).
        public var path: String

        public var description: String { path.isEmpty ? message : "\(path): \(message)" }
    }

    public static func decode(_ text: String) throws(Problem) -> Plan {
        do {
            return try read(text)
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(message: "\(error)", path: "")
        }
    }

    /// Untyped throws inside: closures passed to the reader would otherwise need explicit error types.
    private static func read(_ text: String) throws -> Plan {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw Problem(message: "not JSON: \(error.localizedDescription)", path: "")
        }
        let r = Reader(root, "")
        let format = try r["format"].string()
        guard format == PlanJSON.formatName else { throw Problem(message: "not a pipec plan (format '\(format)')", path: "format") }
        let version = try r["format_version"].int()
        guard version == Plan.currentFormatVersion else {
            throw Problem(message: "plan format version \(version) is not supported; this pipec reads version \(Plan.currentFormatVersion)", path: "format_version")
        }
        let spec = try r["spec"]
        var plan = Plan(
            formatVersion: version, pipeline: try r["pipeline"].string(), specFile: try spec["file"].string(), specHash: try spec["sha256"].string(),
            params: try r["params"].keyed { k, v in PlanParam(key: k, value: try v.string()) },
            resolved: try r["resolved"].bool(),
            environmentReferences: try r["environment"].list { try $0.string() },
            resources: try r["resources"].list(resource),
            catalog: try r["catalog"].optional(catalog),
            ensure: try r["ensure"].list(ensure),
            runs: try r["runs"].list(run),
            planHash: try r["sha256"].string())
        for (i, run) in plan.runs.enumerated() {
            for (j, unit) in run.units.enumerated() where PlanHashing.unitHash(unit) != unit.contentHash {
                throw Problem(message: "unit '\(unit.id)' does not match its sha256: the plan was changed after it was made", path: "runs[\(i)].units[\(j)]")
            }
        }
        let expected = plan.planHash
        plan.planHash = ""
        guard PlanHashing.planHash(plan) == expected else {
            throw Problem(message: "the plan does not match its sha256: it was changed after it was made", path: "sha256")
        }
        plan.planHash = expected
        return plan
    }

    // MARK: parts

    private static func resource(_ r: Reader) throws -> PlanResource {
        PlanResource(name: try r["name"].string(), kind: try r["kind"].enumeration(ResourceKind.self),
                     dialect: try r["dialect"].optional { try $0.enumeration(Dialect.self) },
                     settings: try r["settings"].keyed { k, v in KeyValue(k, try v.string()) },
                     headers: try r["headers"].list { KeyValue(try $0.string(), "***") })
    }

    private static func catalog(_ r: Reader) throws -> PlanCatalog {
        PlanCatalog(resource: try r["resource"].string(), dialect: try r["dialect"].enumeration(Dialect.self), database: try r["database"].string(),
                    runs: try r["runs"].string(), taskInstances: try r["task_instances"].string(), checkResults: try r["check_results"].string(),
                    lineage: try r["lineage"].string(), columns: try r["columns"].string())
    }

    private static func ensure(_ r: Reader) throws -> EnsureAction {
        EnsureAction(kind: try r["kind"].enumeration(EnsureKind.self), object: try r["object"].string(), resource: try r["resource"].string(),
                     dialect: try r["dialect"].enumeration(Dialect.self), statements: try r["statements"].list { try $0.string() })
    }

    private static func run(_ r: Reader) throws -> PlanRun {
        PlanRun(index: try r["index"].int(), runId: try r["run_id"].string(), ds: try r["ds"].string(),
                semantics: try r["semantics"].enumeration(ScheduleSemantics.self), logicalDate: try r["logical_date"].instant(),
                dataIntervalStart: try r["data_interval"]["start"].instant(), dataIntervalEnd: try r["data_interval"]["end"].instant(),
                intervalStart: try r["interval"]["start"].instant(), intervalEnd: try r["interval"]["end"].instant(),
                setup: try r["setup"].list(step), units: try r["units"].list(unit))
    }

    private static func unit(_ r: Reader) throws -> PlanUnit {
        PlanUnit(id: try r["id"].string(), kind: try r["kind"].enumeration(PlanUnitKind.self),
                 strategy: try r["strategy"].optional { try $0.enumeration(Strategy.self) }, stage: try r["stage"].int(),
                 resource: try r["resource"].optional { try $0.string() }, dialect: try r["dialect"].optional { try $0.enumeration(Dialect.self) },
                 group: try r["group"].optional { try $0.string() }, description: try r["description"].optional { try $0.string() },
                 policy: try policy(r["policy"]), when: try r["when"].optional(text), upstream: try r["upstream"].list { try $0.string() },
                 orderingUpstream: try r.present("ordering_upstream")?.list { try $0.string() } ?? [],
                 runtimeOutputs: try r["runtime_outputs"].list { try $0.string() }, steps: try r["steps"].list(step),
                 contentHash: try r["sha256"].string())
    }

    private static func policy(_ r: Reader) throws -> PlanPolicy {
        PlanPolicy(retries: try r["retries"].int(), retryDelayMilliseconds: Int64(try r["retry_delay_ms"].int()),
                   retryBackoff: try r["retry_backoff"].enumeration(RetryBackoff.self),
                   maxRetryDelayMilliseconds: try r["max_retry_delay_ms"].optional { Int64(try $0.int()) },
                   timeoutMilliseconds: try r["timeout_ms"].optional { Int64(try $0.int()) }, pool: try r["pool"].string(),
                   dependsOnPast: try r["depends_on_past"].bool(), triggerRule: try r["trigger_rule"].enumeration(TriggerRule.self),
                   maxActiveRuns: try r["max_active_runs"].optional { try $0.int() })
    }

    private static func text(_ r: Reader) throws -> PlanText {
        switch try r["type"].string() {
        case "rendered": return .rendered(try r["text"].string())
        case "deferred":
            let o = try r["origin"]
            return .deferred(DeferredTemplate(template: try r["template"].string(), outputs: try r["outputs"].list { try $0.string() },
                                              file: try o["file"].string(), line: try o["line"].int(), column: try o["column"].int(), indent: try o["indent"].int()))
        case let other: throw Problem(message: "unknown text type '\(other)'", path: r.path + ".type")
        }
    }

    private static func step(_ r: Reader) throws -> PlanStep {
        switch try r["type"].string() {
        case "sql":
            return .sql(SQLStep(resource: try r["resource"].string(), dialect: try r["dialect"].enumeration(Dialect.self), purpose: try r["purpose"].string(),
                                transactional: try r["transactional"].bool(), statements: try r["statements"].list { try $0.string() },
                                note: try r["note"].optional { try $0.string() },
                                returnsValue: r.has("returns_value") ? try r["returns_value"].bool() : false))
        case "wait":
            return .wait(WaitStep(resource: try r["resource"].string(), dialect: try r["dialect"].enumeration(Dialect.self), purpose: try r["purpose"].string(),
                                  query: try r["query"].string(), pollIntervalMilliseconds: Int64(try r["poll_interval_ms"].int())))
        case "guard":
            return .guardQuery(GuardStep(resource: try r["resource"].string(), dialect: try r["dialect"].enumeration(Dialect.self),
                                         message: try r["message"].string(), query: try r["query"].string()))
        case "load":
            return .load(LoadStep(source: try loadSource(r["source"]), resource: try r["resource"].string(), dialect: try r["dialect"].enumeration(Dialect.self),
                                  table: try r["table"].string(), columns: try r["columns"].list { try $0.string() }, chunkRows: try r["chunk_rows"].int(),
                                  onBadRows: try r["on_bad_rows"].enumeration(BadRowsPolicy.self), quarantineTable: try r["quarantine_table"].optional { try $0.string() },
                                  columnRules: try r.present("column_rules")?.list { c in
                                      LoadColumnRule(kind: try c["kind"].enumeration(LoadValueKind.self), nullable: try c["nullable"].bool())
                                  } ?? [],
                                  intervalRule: try r.present("interval_rule").flatMap { try $0.optional { i in
                                      LoadIntervalRule(column: try i["column"].string(), interval: PlanInterval(start: try i["start"].instant(), end: try i["end"].instant()),
                                                       dateOnly: try i["date_only"].bool())
                                  } }))
        case "export":
            return .export(ExportStep(query: try query(r["query"]), target: try object(r["target"]), layout: try layout(r["layout"]),
                                      partitionBy: try r["partition_by"].list { try $0.string() }))
        case "sensor":
            return .sensor(SensorStep(probe: try probe(r["probe"]), pokeIntervalMilliseconds: Int64(try r["poke_interval_ms"].int()),
                                      timeoutMilliseconds: try r["timeout_ms"].optional { Int64(try $0.int()) }, softFail: try r["soft_fail"].bool()))
        case "check":
            return .check(CheckStep(name: try r["name"].string(), table: try r["table"].optional { try $0.string() },
                                    severity: try r["severity"].enumeration(CheckSeverity.self), assertion: try r["assertion"].string(),
                                    probe: try checkProbe(r["probe"]), onViolation: try r["on_violation"].enumeration(BadRowsPolicy.self),
                                    remediation: try r["remediation"].list(step)))
        case "notify":
            return .notify(NotifyStep(resource: try r["resource"].string(), kind: try r["kind"].enumeration(ResourceKind.self),
                                      subject: try r["subject"].optional(text), message: try text(r["message"])))
        case let other:
            throw Problem(message: "unknown step type '\(other)'", path: r.path + ".type")
        }
    }

    private static func loadSource(_ r: Reader) throws -> PlanLoadSource {
        switch try r["type"].string() {
        case "http":
            let until = try r["until"]
            return .http(try http(r["request"]), try layout(r["layout"]),
                         HTTPReadiness(untilStatus: try until["status"].optional { try $0.int() }, untilHeader: try until["header"].optional { try $0.string() },
                                       pollMilliseconds: Int64(try until["poke_interval_ms"].int())))
        case "object": return .object(try object(r["object"]), try layout(r["layout"]))
        case "query": return .query(try query(r["query"]))
        case let other: throw Problem(message: "unknown load source type '\(other)'", path: r.path + ".type")
        }
    }

    private static func probe(_ r: Reader) throws -> SensorProbe {
        switch try r["type"].string() {
        case "http": return .http(try http(r["request"]), untilStatus: try r["until_status"].optional { try $0.int() },
                                  untilHeader: try r["until_header"].optional { try $0.string() })
        case "object_key": return .objectKey(try object(r["object"]))
        case "object_prefix": return .objectPrefix(try object(r["object"]))
        case "sql": return .sql(try query(r["query"]))
        case "pipeline": return .pipeline(name: try r["pipeline"].string(), task: try r["task"].optional { try $0.string() })
        case let other: throw Problem(message: "unknown sensor probe type '\(other)'", path: r.path + ".type")
        }
    }

    private static func checkProbe(_ r: Reader) throws -> CheckProbe {
        switch try r["type"].string() {
        case "query": return .query(violations: try query(r["violations"]), sample: try r["sample"].optional { try $0.string() },
                                    sampleLimit: try r["sample_limit"].int())
        case "compare": return .compare(left: try query(r["left"]), right: try query(r["right"]), tolerance: try r["tolerance"].double())
        case let other: throw Problem(message: "unknown check probe type '\(other)'", path: r.path + ".type")
        }
    }

    private static func query(_ r: Reader) throws -> PlanQuery {
        PlanQuery(resource: try r["resource"].string(), dialect: try r["dialect"].enumeration(Dialect.self), sql: try r["sql"].string())
    }

    private static func http(_ r: Reader) throws -> HTTPCall {
        HTTPCall(resource: try r["resource"].string(), method: try r["method"].string(), baseURL: try r["base_url"].string(), path: try r["path"].string(),
                 query: try r["query"].list(pair), headers: try r["headers"].list(pair), body: try r["body"].optional { try $0.string() })
    }

    private static func pair(_ r: Reader) throws -> KeyValue {
        let items = try r.list { try $0.string() }
        guard items.count == 2 else { throw Problem(message: "expected a [name, value] pair", path: r.path) }
        return KeyValue(items[0], items[1])
    }

    private static func object(_ r: Reader) throws -> ObjectAddress {
        ObjectAddress(resource: try r["resource"].string(), kind: try r["kind"].enumeration(ResourceKind.self), container: try r["container"].string(),
                      key: try r["key"].string())
    }

    private static func layout(_ r: Reader) throws -> FileLayout {
        FileLayout(format: try r["format"].enumeration(FileFormat.self), compression: try r["compression"].enumeration(Compression.self),
                   header: try r["header"].bool(), delimiter: try r["delimiter"].optional { try $0.string() })
    }
}

/// A typed view of a `JSONSerialization` value that names the path of whatever is missing or mistyped.
private struct Reader {
    let value: Any?
    let path: String

    init(_ value: Any?, _ path: String) {
        self.value = value
        self.path = path
    }

    typealias Problem = PlanJSONDecoder.Problem

    /// The entry under `key`, nil when the object does not have it (fields a plan writes only when they say
    /// something, or that older plans of the same format version lack).
    func present(_ key: String) throws -> Reader? {
        guard let object = value as? [String: Any] else { throw Problem(message: "expected an object", path: path) }
        return object[key].map { Reader($0, path.isEmpty ? key : "\(path).\(key)") }
    }

    subscript(key: String) -> Reader {
        get throws {
            guard let object = value as? [String: Any] else { throw Problem(message: "expected an object", path: path) }
            let child = path.isEmpty ? key : "\(path).\(key)"
            guard let v = object[key] else { throw Problem(message: "missing", path: child) }
            return Reader(v, child)
        }
    }

    var isNull: Bool { value == nil || value is NSNull }

    /// Whether an object has `key` (for members written only when they say something).
    func has(_ key: String) -> Bool { (value as? [String: Any])?[key] != nil }

    func string() throws -> String {
        guard let s = value as? String else { throw Problem(message: "expected a string", path: path) }
        return s
    }

    func int() throws -> Int {
        guard let n = value as? NSNumber, n.doubleValue == n.doubleValue.rounded() else {
            throw Problem(message: "expected an integer", path: path)
        }
        return n.intValue
    }

    func double() throws -> Double {
        guard let n = value as? NSNumber else { throw Problem(message: "expected a number", path: path) }
        return n.doubleValue
    }

    func bool() throws -> Bool {
        guard let b = value as? Bool else { throw Problem(message: "expected true or false", path: path) }
        return b
    }

    func instant() throws -> Instant {
        switch Timestamp.parse(try string(), zone: .utc) {
        case .success(let i): return i
        case .failure(let e): throw Problem(message: e.message, path: path)
        }
    }

    func enumeration<E: RawRepresentable>(_ type: E.Type) throws -> E where E.RawValue == String {
        let raw = try string()
        guard let e = E(rawValue: raw) else { throw Problem(message: "unknown value '\(raw)'", path: path) }
        return e
    }

    func list<T>(_ element: (Reader) throws -> T) throws -> [T] {
        guard let items = value as? [Any] else { throw Problem(message: "expected a list", path: path) }
        var out: [T] = []
        for (i, item) in items.enumerated() { out.append(try element(Reader(item, "\(path)[\(i)]"))) }
        return out
    }

    /// An object's entries sorted by key (the writer sorts them too; JSONSerialization keeps no order).
    func keyed<T>(_ element: (String, Reader) throws -> T) throws -> [T] {
        guard let object = value as? [String: Any] else { throw Problem(message: "expected an object", path: path) }
        var out: [T] = []
        for key in object.keys.sorted() { out.append(try element(key, Reader(object[key], "\(path).\(key)"))) }
        return out
    }

    func optional<T>(_ element: (Reader) throws -> T) throws -> T? {
        isNull ? nil : try element(self)
    }
}
