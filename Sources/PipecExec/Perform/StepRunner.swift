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
    /// (its later copy into the target is the same rows), else what the unit's INSERTs and exports wrote.
    var rows: Int { loaded ?? written }
    private var loaded: Int?
    private var written = 0
    private(set) var value: TemplateValue = .none
    private(set) var keys: [String] = []

    init(context: ApplyContext, run: Int, unit: PlanUnit, cancel: CancellationFlag) {
        self.context = context
        self.run = run
        self.unit = unit
        self.cancel = cancel
    }

    func outputs(status: String) -> [(String, TemplateValue)] {
        [("rows", .int(rows)), ("status", .string(status)), ("value", value), ("keys", .strings(keys)), ("headers", .dict([]))]
    }

    mutating func run(_ step: PlanStep) throws {
        switch step {
        case .sql(let s):
            let engine = try context.resources.engine(s.resource)
            let counts: [Int]
            if s.transactional && s.statements.count > 1 {
                counts = try engine.transaction(s.statements, cancel: cancel)
            } else {
                counts = try s.statements.map { try engine.execute($0, cancel: cancel) }
            }
            // Rows written are what the INSERTs into a unit's own table report (not staging copies or deletes).
            for (statement, count) in zip(s.statements, counts) where Self.isInsert(statement) && !s.purpose.contains("staging") {
                written += count
            }
        case .wait(let w):
            let engine = try context.resources.engine(w.resource)
            while (try engine.query(w.query, cancel: cancel).scalar ?? 0) != 0 {
                try pause(milliseconds: w.pollIntervalMilliseconds)
            }
        case .guardQuery(let g):
            let engine = try context.resources.engine(g.resource)
            let found = try engine.query(g.query, cancel: cancel).scalar ?? 0
            if found != 0 { throw EngineError("\(g.message) (\(Int(found)))", statement: g.query) }
        case .load(let l):
            loaded = (loaded ?? 0) + (try LoadRunner(context: context, run: run, cancel: cancel).load(l))
        case .export(let e):
            let result = try ExportRunner(context: context, cancel: cancel).export(e)
            written += result.rows
            keys += result.keys
        case .sensor(let s):
            value = try SensorRunner(context: context, run: run, cancel: cancel).wait(s)
        case .check(let c):
            try CheckRunner(context: context, run: run, unit: unit.id, cancel: cancel).check(c) { step in try self.run(step) }
        case .notify(let n):
            try Notifier(context: context, run: run, unit: unit.id, cancel: cancel).send(n)
        }
    }

    static func isInsert(_ sql: String) -> Bool {
        sql.drop { $0 == " " || $0 == "\n" }.prefix(6).uppercased() == "INSERT"
    }

    /// Sleeps in small steps so cancellation (a timeout, Ctrl-C) is noticed quickly.
    func pause(milliseconds: Int64) throws {
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, milliseconds)) * 1_000_000
        while DispatchTime.now().uptimeNanoseconds < end {
            if cancel.isCancelled { throw EngineError(cancel.reason ?? "cancelled") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
