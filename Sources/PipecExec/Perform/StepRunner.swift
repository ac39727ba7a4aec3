import Foundation
import PipecIO
import PipecModel
import PipecPlan
import PipecTemplate

/// Runs the steps of one unit attempt, keeping what the unit produced (rows, outputs).
struct StepRunner {
    let context: ApplyContext
    let run: Int
    let unit: PlanUnit
    let cancel: CancellationFlag
    /// Rows the unit wrote — what `tasks.NAME.rows` and the state store report: the rows a load streamed in
    /// (its later copy into the target is the same rows), else what the unit's INSERTs into its table and its
    /// exports wrote; less the rows its checks then moved to the quarantine or dropped.
    var rows: Int { (loaded ?? written) - removed }
    private var loaded: Int?
    private var written = 0
    private var removed = 0
    private(set) var value: TemplateValue = .none
    private(set) var keys: [String] = []
    /// The response headers of an http sensor or load (`{{ tasks.NAME.headers['Rows-Number'] }}`).
    private(set) var headers: TemplateValue = .dict([])

    init(context: ApplyContext, run: Int, unit: PlanUnit, cancel: CancellationFlag) {
        self.context = context
        self.run = run
        self.unit = unit
        self.cancel = cancel
    }

    func outputs(status: String) -> [(String, TemplateValue)] {
        [("rows", .int(rows)), ("status", .string(status)), ("value", value), ("keys", .strings(keys)), ("headers", headers)]
    }

    /// Runs a step; `remediating` for a check's remediation, whose deletes from the unit's table take rows back.
    mutating func run(_ step: PlanStep, remediating: Bool = false) throws {
        switch step {
        case .sql(let s):
            let engine = try context.resources.engine(s.resource)
            let counts: [Int]
            if s.transactional && s.statements.count > 1 {
                counts = try engine.transaction(s.statements, cancel: cancel)
            } else {
                counts = try s.statements.map { try engine.execute($0, cancel: cancel) }
            }
            let table = ownTable
            for (statement, count) in zip(s.statements, counts) {
                if remediating {
                    if table != nil && Self.target(of: statement, after: "DELETE FROM") == table { removed += count }
                } else if let target = Self.target(of: statement, after: "INSERT INTO") {
                    // A build or load counts the INSERTs into its table, not into its build, staging or quarantine
                    // tables; another task counts every INSERT outside staging steps.
                    let counted = table.map { $0 == target } ?? !s.purpose.contains("staging")
                    if counted { written += count }
                }
            }
        case .wait(let w):
            let engine = try context.resources.engine(w.resource)
            while (try engine.query(w.query, cancel: cancel).scalar ?? 0) != 0 {
                try cancel.pause(seconds: Double(w.pollIntervalMilliseconds) / 1000)
            }
        case .guardQuery(let g):
            let engine = try context.resources.engine(g.resource)
            let found = try engine.query(g.query, cancel: cancel).scalar ?? 0
            if found != 0 { throw EngineError("\(g.message) (\(Int(found)))", statement: g.query) }
        case .load(let l):
            var runner = LoadRunner(context: context, run: run, unit: unit.id, cancel: cancel)
            loaded = (loaded ?? 0) + (try runner.load(l))
            if case .http = l.source { headers = runner.headers }
        case .export(let e):
            let result = try ExportRunner(context: context, unit: unit.id, cancel: cancel).export(e)
            written += result.rows
            keys += result.keys
        case .sensor(let s):
            let sensor = SensorRunner(context: context, run: run, unit: unit.id, cancel: cancel)
            (value, headers) = try sensor.wait(s)
        case .check(let c):
            try CheckRunner(context: context, run: run, unit: unit.id, cancel: cancel).check(c) { step in try self.run(step, remediating: true) }
        case .notify(let n):
            try Notifier(context: context, run: run, unit: unit.id, cancel: cancel).send(n)
        }
    }

    /// The spec name of the table the unit produces: a build's own, a load's `into`; nil for other tasks.
    private var ownTable: String? {
        if context.pipeline.hasTable(unit.id) { return unit.id }
        if case .load(let load)? = context.pipeline.task(unit.id)?.body { return load.into.value }
        return nil
    }

    /// The table a statement starting with `verb` (`INSERT INTO`, `DELETE FROM`) writes, with quotes removed, so
    /// `"dim.users"` (SQLite) and `dim.users` (PostgreSQL) both read as the spec name.
    static func target(of sql: String, after verb: String) -> String? {
        let trimmed = sql.drop { $0.isWhitespace }
        guard trimmed.prefix(verb.count).uppercased() == verb else { return nil }
        var name = ""
        var quoted = false
        for ch in trimmed.dropFirst(verb.count).drop(while: { $0.isWhitespace }) {
            if ch == "\"" || ch == "`" {
                quoted.toggle()
                continue
            }
            if !quoted && (ch.isWhitespace || ch == "(") { break }
            name.append(ch)
        }
        return name.isEmpty ? nil : name
    }
}
