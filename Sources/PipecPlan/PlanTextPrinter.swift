import PipecModel
import PipecSchedule

/// The dry run: the plan as text for a reviewer — the resolved runs at the top, the ensure stage, then per run
/// the execution order by stage and every unit with every statement fully rendered (secrets `***`), and a
/// Terraform-style summary line. Another consumer of the same plan the executor runs; it prints, never decides.
public enum PlanTextPrinter {
    public static func print(_ plan: Plan) -> String {
        var out = Output()
        header(plan, &out)
        resources(plan, &out)
        ensure(plan, &out)
        for run in plan.runs { self.run(run, of: plan.runs.count, &out) }
        out.line(PlanSummary(plan).line)
        return out.text
    }

    // MARK: sections

    private static func header(_ plan: Plan, _ out: inout Output) {
        out.line("Plan for pipeline \(plan.pipeline) (\(plan.specFile)), plan format \(plan.formatVersion)")
        out.line("  spec sha256  \(plan.specHash)")
        out.line("  plan sha256  \(plan.planHash)")
        for run in plan.runs {
            out.line("  run \(run.index): \(run.runId)  ds \(run.ds)  interval [\(run.intervalStart), \(run.intervalEnd))")
        }
        if !plan.params.isEmpty {
            out.line("  params: " + plan.params.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        if !plan.environmentReferences.isEmpty {
            out.line("  environment read at apply: " + plan.environmentReferences.joined(separator: ", "))
        }
        out.blank()
    }

    private static func resources(_ plan: Plan, _ out: inout Output) {
        out.line("Resources")
        for r in plan.resources {
            out.line("  \(r.name) (\(r.kind.rawValue))")
            for s in r.settings { out.line("      \(s.key): \(s.value)") }
            for h in r.headers { out.line("      header \(h.key): \(h.value)") }
        }
        if let c = plan.catalog {
            out.line("  catalog: \(c.database) on \(c.resource) (runs, task_instances, check_results, lineage, columns)")
        }
        out.blank()
    }

    private static func ensure(_ plan: Plan, _ out: inout Output) {
        out.line("Ensure (idempotent, before the first run): \(plan.ensure.count) action\(plan.ensure.count == 1 ? "" : "s")")
        for action in plan.ensure {
            out.line("  + \(action.kind.rawValue.replacingUnderscores) \(action.object) on \(action.resource) (\(action.dialect.rawValue))")
            statements(action.statements, indent: 6, &out)
        }
        out.blank()
    }

    private static func run(_ run: PlanRun, of count: Int, _ out: inout Output) {
        out.line("Run \(run.index) of \(count): \(run.runId)")
        out.line("  ds \(run.ds), logical date \(run.logicalDate) (\(run.semantics.rawValue))")
        var interval = "  data interval [\(run.dataIntervalStart), \(run.dataIntervalEnd))"
        if run.intervalStart != run.dataIntervalStart || run.intervalEnd != run.dataIntervalEnd {
            interval += "; strategies and checks cover [\(run.intervalStart), \(run.intervalEnd))"
        }
        out.line(interval)
        out.line("  execution order (the units of a stage can run in parallel):")
        for (i, stage) in run.stages.enumerated() {
            out.line("    stage \(i + 1): " + stage.map(\.id).joined(separator: ", "))
        }
        if !run.setup.isEmpty {
            out.line("  setup:")
            steps(run.setup, indent: 4, &out)
        }
        for unit in run.units { self.unit(unit, &out) }
        out.blank()
    }

    private static func unit(_ u: PlanUnit, _ out: inout Output) {
        out.blank()
        var what = u.kind.rawValue.replacingUnderscores
        if let s = u.strategy { what += " (\(s.rawValue))" }
        var title = "  > stage \(u.stage)  \(u.id)  \(what)"
        if let r = u.resource { title += " on \(r)" + (u.dialect.map { " (\($0.rawValue))" } ?? "") }
        if let g = u.group { title += ", group \(g)" }
        out.line(title)
        if let d = u.description { out.line("      \(d)") }
        out.line("      policy: \(policy(u.policy))")
        if !u.upstream.isEmpty { out.line("      after: " + u.upstream.joined(separator: ", ")) }
        if let when = u.when { out.line("      when: \(text(when))") }
        if !u.runtimeOutputs.isEmpty {
            out.line("      reads task outputs at run time: \(u.runtimeOutputs.joined(separator: ", ")) (shown as <tasks.NAME.OUTPUT>)")
        }
        if u.steps.isEmpty { out.line("      nothing to run: a \(u.kind == .view ? "view reads its upstream when queried" : "materialized view fills as its upstream is written")") }
        steps(u.steps, indent: 6, &out)
    }

    // MARK: steps

    private static func steps(_ steps: [PlanStep], indent: Int, _ out: inout Output) {
        for (i, step) in steps.enumerated() { self.step(step, number: i + 1, indent: indent, &out) }
    }

    private static func step(_ step: PlanStep, number: Int, indent: Int, _ out: inout Output) {
        let pad = String(repeating: " ", count: indent)
        let more = indent + 5
        switch step {
        case .sql(let s):
            out.line("\(pad)\(number). sql on \(s.resource): \(s.purpose)\(s.transactional ? " (one transaction)" : "")\(s.returnsValue ? " (the last statement's first value is the task's value)" : "")")
            if let note = s.note { out.line("\(pad)     note: \(note)") }
            statements(s.statements, indent: more, &out)
        case .wait(let w):
            out.line("\(pad)\(number). wait on \(w.resource): \(w.purpose) (poll every \(duration(w.pollIntervalMilliseconds)) until 0)")
            statements([w.query], indent: more, &out)
        case .guardQuery(let g):
            out.line("\(pad)\(number). guard on \(g.resource): must return 0, else fail: \(g.message)")
            statements([g.query], indent: more, &out)
        case .load(let l):
            out.line("\(pad)\(number). load into \(l.table) on \(l.resource): \(l.chunkRows) rows per chunk, bad rows: \(l.onBadRows.rawValue)"
                + (l.quarantineTable.map { " (into \($0))" } ?? ""))
            loadSource(l.source, indent: more, &out)
            out.line("\(pad)     columns: \(l.columns.joined(separator: ", "))")
        case .export(let e):
            out.line("\(pad)\(number). export from \(e.query.resource) to \(objectText(e.target)) as \(layoutText(e.layout))"
                + (e.partitionBy.isEmpty ? "" : ", partitioned by \(e.partitionBy.joined(separator: ", "))"))
            statements([e.query.sql], indent: more, &out)
        case .sensor(let s):
            if s.timeoutMilliseconds == 0 {
                out.line("\(pad)\(number). sensor: poke once (timeout 0s), if it does not hold \(s.softFail ? "skip" : "fail")")
            } else {
                let timeout = s.timeoutMilliseconds.map { "timeout \(duration($0))" } ?? "no timeout"
                out.line("\(pad)\(number). sensor: poke every \(duration(s.pokeIntervalMilliseconds)), \(timeout), on timeout \(s.softFail ? "skip" : "fail")")
            }
            probe(s.probe, indent: more, &out)
        case .check(let c):
            out.line("\(pad)\(number). check \(c.name)\(c.table.map { " on \($0)" } ?? "") (\(c.severity.rawValue)): \(c.assertion)")
            if c.onViolation != .fail { out.line("\(pad)     violations: \(c.onViolation.rawValue)") }
            switch c.probe {
            case .query(let q, let sample, let limit):
                out.line("\(pad)     violations on \(q.resource):")
                statements([q.sql], indent: more + 2, &out)
                if let sample {
                    out.line("\(pad)     sample (up to \(limit) rows):")
                    statements([sample], indent: more + 2, &out)
                }
            case .compare(let left, let right, let tolerance):
                out.line("\(pad)     left on \(left.resource):")
                statements([left.sql], indent: more + 2, &out)
                out.line("\(pad)     right on \(right.resource):")
                statements([right.sql], indent: more + 2, &out)
                out.line("\(pad)     equal \(tolerance == 0 ? "exactly" : "within a relative difference of \(tolerance)")")
            }
            if !c.remediation.isEmpty {
                out.line("\(pad)     when violated:")
                steps(c.remediation, indent: more + 2, &out)
            }
        case .notify(let n):
            out.line("\(pad)\(number). notify \(n.resource) (\(n.kind.rawValue))")
            if let s = n.subject { out.line("\(pad)     subject: \(text(s))") }
            out.line("\(pad)     message: \(text(n.message))")
        }
    }

    private static func loadSource(_ source: PlanLoadSource, indent: Int, _ out: inout Output) {
        let pad = String(repeating: " ", count: indent)
        switch source {
        case .http(let call, let layout, let ready):
            out.line("\(pad)from \(layoutText(layout)):")
            http(call, indent: indent + 2, &out)
            let status = ready.untilStatus.map { "HTTP \($0)" } ?? "a 2xx response"
            out.line("\(pad)  until \(status)\(ready.untilHeader.map { " with header \($0)" } ?? ""), asking every \(duration(ready.pollMilliseconds))")
        case .object(let o, let layout):
            out.line("\(pad)from \(objectText(o)) as \(layoutText(layout))")
        case .query(let q):
            out.line("\(pad)from a query on \(q.resource):")
            statements([q.sql], indent: indent + 2, &out)
        }
    }

    private static func probe(_ probe: SensorProbe, indent: Int, _ out: inout Output) {
        let pad = String(repeating: " ", count: indent)
        switch probe {
        case .http(let call, let status, let header):
            var until = "until the response is \(status.map(String.init) ?? "2xx")"
            if let header { until += " with header \(header)" }
            out.line("\(pad)\(until):")
            http(call, indent: indent + 2, &out)
        case .objectKey(let o): out.line("\(pad)until \(objectText(o)) exists")
        case .objectPrefix(let o): out.line("\(pad)until an object under \(objectText(o)) exists")
        case .sql(let q):
            out.line("\(pad)until this returns true on \(q.resource):")
            statements([q.sql], indent: indent + 2, &out)
        case .pipeline(let name, let task):
            out.line("\(pad)until \(task.map { "task \($0) of " } ?? "")pipeline \(name) succeeded for this logical date")
        }
    }

    private static func http(_ call: HTTPCall, indent: Int, _ out: inout Output) {
        let pad = String(repeating: " ", count: indent)
        out.line("\(pad)\(call.method) \(call.baseURL)\(call.path)  (resource \(call.resource))")
        for q in call.query { out.line("\(pad)  query \(q.key) = \(q.value)") }
        for h in call.headers { out.line("\(pad)  header \(h.key): \(h.value)") }
        if let body = call.body { out.line("\(pad)  body: \(body)") }
    }

    // MARK: pieces

    /// Each statement on its own lines, ending with `;` so the block can be pasted into a client (on a line of
    /// its own when the last line holds a `--` comment, which would swallow it).
    private static func statements(_ statements: [String], indent: Int, _ out: inout Output) {
        let pad = String(repeating: " ", count: indent)
        for s in statements {
            let lines = lines(of: s)
            for (i, line) in lines.enumerated() {
                let last = i == lines.count - 1
                let comment = last && hasLineComment(line)
                let text = last && !comment ? line + ";" : line
                out.line(text.isEmpty ? "" : pad + text)
                if comment { out.line(pad + ";") }
            }
        }
    }

    /// The lines of `s`, split on its bytes (the generic `split` compares characters, a hot spot on big plans).
    private static func lines(of s: String) -> [Substring] {
        var lines: [Substring] = []
        var start = s.utf8.startIndex
        var i = start
        while i != s.utf8.endIndex {
            if s.utf8[i] == UInt8(ascii: "\n") {
                lines.append(s[start..<i])
                start = s.utf8.index(after: i)
            }
            i = s.utf8.index(after: i)
        }
        lines.append(s[start...])
        return lines
    }

    /// Whether the line holds `--`, looked for in its bytes (`contains` on a substring goes through Foundation).
    private static func hasLineComment(_ line: Substring) -> Bool {
        var previousDash = false
        for b in line.utf8 {
            if b == UInt8(ascii: "-") {
                if previousDash { return true }
                previousDash = true
            } else {
                previousDash = false
            }
        }
        return false
    }

    private static func policy(_ p: PlanPolicy) -> String {
        var parts: [String] = []
        if p.retries == 0 {
            parts.append("no retries")
        } else {
            var retry = "\(p.retries) \(p.retries == 1 ? "retry" : "retries") after \(duration(p.retryDelayMilliseconds)) (\(p.retryBackoff.rawValue)"
            if let m = p.maxRetryDelayMilliseconds { retry += ", at most \(duration(m))" }
            parts.append(retry + ")")
        }
        parts.append(p.timeoutMilliseconds.map { "timeout \(duration($0))" } ?? "no timeout")
        parts.append("pool \(p.pool)")
        if p.dependsOnPast { parts.append("depends on past") }
        if p.triggerRule != .allSuccess { parts.append("trigger \(p.triggerRule.rawValue)") }
        if let m = p.maxActiveRuns { parts.append("max active runs \(m)") }
        return parts.joined(separator: ", ")
    }

    private static func text(_ t: PlanText) -> String {
        switch t {
        case .rendered(let s): return s
        case .deferred(let d): return "\(d.template)  (rendered at run time with \(d.outputs.joined(separator: ", ")))"
        }
    }

    private static func objectText(_ o: ObjectAddress) -> String {
        o.kind == .file ? "\(o.resource):\(o.container.hasSuffix("/") ? o.container : o.container + "/")\(o.key)" : "s3://\(o.container)/\(o.key) (\(o.resource))"
    }

    private static func layoutText(_ l: FileLayout) -> String {
        var s = l.format.rawValue
        if l.compression != .none { s += " + \(l.compression.rawValue)" }
        if l.header && (l.format == .csv || l.format == .tsv) { s += " with header" }
        if let d = l.delimiter { s += ", delimiter \(d)" }
        return s
    }

    private static func duration(_ ms: Int64) -> String { SpecDuration(milliseconds: ms).description }

    /// Accumulates lines; trailing spaces are never written.
    private struct Output {
        var text = ""
        mutating func line(_ s: String) {
            var end = s.utf8.endIndex
            while end > s.utf8.startIndex, s.utf8[s.utf8.index(before: end)] == UInt8(ascii: " ") { end = s.utf8.index(before: end) }
            text += s[..<end]
            text += "\n"
        }
        mutating func blank() {
            if !text.hasSuffix("\n\n") { text += "\n" }
        }
    }
}

/// The counts behind the summary line.
public struct PlanSummary: Sendable, Hashable {
    /// Tables, views, quarantine and catalog tables that ensure creates if missing.
    public var tablesToEnsure: Int
    public var builds: Int
    public var refreshes: Int
    public var tasks: Int
    public var runs: Int

    public init(_ plan: Plan) {
        tablesToEnsure = plan.ensure.filter { $0.kind.createsTable }.count
        let units = plan.runs.flatMap(\.units)
        builds = units.filter { $0.kind == .build }.count
        refreshes = units.filter { ($0.kind == .view || $0.kind == .materializedView) && !$0.steps.isEmpty }.count
        tasks = units.filter { ![.build, .view, .materializedView, .tableChecks].contains($0.kind) }.count
        runs = plan.runs.count
    }

    /// `Plan: 16 tables to ensure, 10 builds and 7 tasks over 1 run.`
    public var line: String {
        var work = [count(builds, "build")]
        if refreshes > 0 { work.append(count(refreshes, "view refresh", plural: "view refreshes")) }
        work.append(count(tasks, "task"))
        let list = work.count == 2 ? work.joined(separator: " and ") : work.dropLast().joined(separator: ", ") + " and " + work[work.count - 1]
        return "Plan: \(count(tablesToEnsure, "table")) to ensure, \(list) over \(count(runs, "run"))."
    }

    private func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
    }
}

extension String {
    fileprivate var replacingUnderscores: String { split(separator: "_").joined(separator: " ") }
}
