import PipecDiagnostics
import PipecSchedule

/// Compares two checked versions of a pipeline: tables, columns, SQL (rendered, for one run), strategies,
/// tasks, schedule, defaults, pools, resources and groups; then walks the new dependency graph to find every
/// table whose data a change affects.
public enum SpecDiff {
    public static func compare(old: Pipeline, new: Pipeline) -> SpecDiffResult {
        let run = TemplateChecker.sampleRun(new)
        let oldEnv = RenderEnvironment(pipeline: old, run: run)
        let newEnv = RenderEnvironment(pipeline: new, run: run)
        var changes: [SpecChange] = []
        changes += tableChanges(old, new, oldEnv, newEnv)
        changes += taskChanges(old, new, oldEnv, newEnv)
        changes += scheduleChanges(old, new)
        changes += settingsChanges(old, new)

        // Downstream of every data-affecting change, in the new graph.
        var diagnostics: [Diagnostic] = []
        let graph = GraphBuilder.build(new, diagnostics: &diagnostics)
        var affected: [(String, String)] = []
        var seen = Set<String>()
        // Only units that hold or move data need a rebuild: tables, loads, exports and SQL tasks.
        func holdsData(_ u: UnitID) -> Bool {
            guard case .task(let name) = u, let t = new.task(name) else { return true }
            return [.load, .export, .sql].contains(t.kind)
        }
        for change in changes where change.impact != .nonBreaking && (change.area == "table" || change.area == "column" || change.area == "task") {
            let root = change.area == "column" ? String(change.subject.split(separator: ".").dropLast().joined(separator: ".")) : change.subject
            let unit: UnitID = change.area == "task" ? .task(root) : .table(root)
            guard graph.locations[unit] != nil else {
                // A changed table with no build of its own (loaded by a task): follow its readers.
                for reader in graph.units where (graph.reads[reader] ?? []).contains(root) {
                    for d in [reader] + graph.descendants(of: reader).sorted() where holdsData(d) && d.name != root && seen.insert(d.name).inserted {
                        affected.append((d.name, root))
                    }
                }
                continue
            }
            for d in graph.descendants(of: unit).sorted(by: { order(graph, $0) < order(graph, $1) }) where holdsData(d) && seen.insert(d.name).inserted {
                affected.append((d.name, root))
            }
        }
        return SpecDiffResult(oldPipeline: old.name.value, newPipeline: new.name.value, changes: changes, affected: affected,
                              renderedFor: "\(run.runId) (ds \(AirflowFormat.ds(run.logicalDate)))")
    }

    private static func order(_ g: PipelineGraph, _ u: UnitID) -> Int { g.units.firstIndex(of: u) ?? Int.max }

    // MARK: tables

    static func tableChanges(_ old: Pipeline, _ new: Pipeline, _ oldEnv: RenderEnvironment, _ newEnv: RenderEnvironment) -> [SpecChange] {
        var out: [SpecChange] = []
        let removed = old.tables.filter { !new.hasTable($0.name.value) }
        var added = new.tables.filter { !old.hasTable($0.name.value) }
        for table in removed {
            // Same columns and SQL under a new name: a rename (still breaking for whoever reads the old name).
            if let i = added.firstIndex(where: { $0.columns == table.columns && $0.sql == table.sql && $0.resource == table.resource }) {
                out.append(SpecChange(area: "table", subject: table.name.value, action: .renamed, impact: .breaking,
                                      detail: "renamed to \(added[i].name.value)"))
                added.remove(at: i)
                continue
            }
            out.append(SpecChange(area: "table", subject: table.name.value, action: .removed, impact: .breaking,
                                  detail: "table removed (its data and readers are left behind)"))
        }
        for table in added {
            out.append(SpecChange(area: "table", subject: table.name.value, action: .added, impact: .nonBreaking,
                                  detail: "\(table.kind.rawValue) on \(table.resource.value), \(table.columns.count) columns"
                                      + (table.build.map { ", \($0.strategy.value.rawValue)" } ?? "")))
        }
        for newTable in new.tables {
            guard let oldTable = old.table(newTable.name.value) else { continue }
            out += compareTable(oldTable, newTable, oldEnv, newEnv)
        }
        return out
    }

    static func compareTable(_ a: Table, _ b: Table, _ oldEnv: RenderEnvironment, _ newEnv: RenderEnvironment) -> [SpecChange] {
        let name = b.name.value
        var out: [SpecChange] = []
        for column in a.columns where b.column(column.name.value) == nil {
            out.append(SpecChange(area: "column", subject: "\(name).\(column.name.value)", action: .removed, impact: .breaking,
                                  detail: "column removed (was \(column.type.value))"))
        }
        for column in b.columns {
            guard let before = a.column(column.name.value) else {
                out.append(SpecChange(area: "column", subject: "\(name).\(column.name.value)", action: .added, impact: .nonBreaking,
                                      detail: "column added: \(column.type.value)"))
                continue
            }
            if before.type.value != column.type.value {
                out.append(SpecChange(area: "column", subject: "\(name).\(column.name.value)", action: .changed, impact: .breaking,
                                      detail: "retyped \(before.type.value) -> \(column.type.value)"))
            }
            if before.nullable != column.nullable {
                let tightening = column.nullable == false
                out.append(SpecChange(area: "column", subject: "\(name).\(column.name.value)", action: .changed,
                                      impact: tightening ? .breaking : .nonBreaking,
                                      detail: "nullable \(describe(before.nullable)) -> \(describe(column.nullable))"))
            }
        }
        func setting(_ what: String, _ x: String?, _ y: String?, _ impact: ChangeImpact) {
            if x != y {
                out.append(SpecChange(area: "table", subject: name, action: .changed, impact: impact,
                                      detail: "\(what) \(x ?? "(none)") -> \(y ?? "(none)")"))
            }
        }
        setting("resource", a.resource.value, b.resource.value, .breaking)
        setting("kind", a.kind.rawValue, b.kind.rawValue, .breaking)
        setting("engine", a.engine?.value, b.engine?.value, .breaking)
        setting("partition_by", a.partitionBy?.value, b.partitionBy?.value, .breaking)
        setting("order_by", list(a.orderBy), list(b.orderBy), .breaking)
        setting("primary_key", list(a.primaryKey), list(b.primaryKey), .breaking)
        setting("strategy", a.build?.strategy.value.rawValue, b.build?.strategy.value.rawValue, .data)
        setting("interval_column", a.build?.intervalColumn?.value, b.build?.intervalColumn?.value, .data)
        for line in CheckChanges.lines(a.checks, b.checks) {
            out.append(SpecChange(area: "table", subject: name, action: .changed, impact: .nonBreaking, detail: line))
        }
        if a.sql != nil || b.sql != nil {
            let before = rendered(.table(name), oldEnv), after = rendered(.table(name), newEnv)
            if before != after {
                let diff = UnifiedDiff.diff(before, after, oldLabel: "old \(name)", newLabel: "new \(name)")
                out.append(SpecChange(area: "table", subject: name, action: .changed,
                                      impact: b.kind == .materializedView ? .breaking : .data,
                                      detail: b.kind == .materializedView ? "SQL changed (a materialized view fills on insert: rebuild it)" : "SQL changed",
                                      textDiff: diff))
            }
        }
        return out
    }

    // MARK: tasks

    static func taskChanges(_ old: Pipeline, _ new: Pipeline, _ oldEnv: RenderEnvironment, _ newEnv: RenderEnvironment) -> [SpecChange] {
        var out: [SpecChange] = []
        let removed = old.tasks.filter { !new.hasTask($0.name.value) }
        var added = new.tasks.filter { !old.hasTask($0.name.value) }
        for task in removed {
            if let i = added.firstIndex(where: { $0.body == task.body }) {
                out.append(SpecChange(area: "task", subject: task.name.value, action: .renamed, impact: .nonBreaking,
                                      detail: "renamed to \(added[i].name.value) (state and run history stay under the old name)"))
                added.remove(at: i)
                continue
            }
            out.append(SpecChange(area: "task", subject: task.name.value, action: .removed, impact: .nonBreaking, detail: "\(task.kind.rawValue) task removed"))
        }
        for task in added {
            out.append(SpecChange(area: "task", subject: task.name.value, action: .added, impact: .nonBreaking, detail: "\(task.kind.rawValue) task added"))
        }
        for b in new.tasks {
            guard let a = old.task(b.name.value) else { continue }
            let name = b.name.value
            if a.kind != b.kind {
                out.append(SpecChange(area: "task", subject: name, action: .changed, impact: .data, detail: "kind \(a.kind.rawValue) -> \(b.kind.rawValue)"))
            }
            let policy = policyChanges(a.policy, b.policy)
            if !policy.isEmpty {
                out.append(SpecChange(area: "task", subject: name, action: .changed, impact: .nonBreaking, detail: policy.joined(separator: ", ")))
            }
            if case .load(let la) = a.body, case .load(let lb) = b.body {
                if la.strategy?.value != lb.strategy?.value {
                    out.append(SpecChange(area: "task", subject: name, action: .changed, impact: .data,
                                          detail: "strategy \(la.strategy?.value.rawValue ?? "(none)") -> \(lb.strategy?.value.rawValue ?? "(none)")"))
                }
                if la.into.value != lb.into.value {
                    out.append(SpecChange(area: "task", subject: name, action: .changed, impact: .data, detail: "into \(la.into.value) -> \(lb.into.value)"))
                }
            }
            let before = rendered(.task(name), oldEnv), after = rendered(.task(name), newEnv)
            if before != after {
                out.append(SpecChange(area: "task", subject: name, action: .changed, impact: a.kind == .check || a.kind == .notify ? .nonBreaking : .data,
                                      detail: "rendered SQL/request changed",
                                      textDiff: UnifiedDiff.diff(before, after, oldLabel: "old \(name)", newLabel: "new \(name)")))
            }
        }
        return out
    }

    static func policyChanges(_ a: RunPolicy, _ b: RunPolicy) -> [String] {
        var out: [String] = []
        if a.retries != b.retries { out.append("retries \(a.retries) -> \(b.retries)") }
        if a.retryDelayMilliseconds != b.retryDelayMilliseconds { out.append("retry_delay \(ms(a.retryDelayMilliseconds)) -> \(ms(b.retryDelayMilliseconds))") }
        if a.retryBackoff != b.retryBackoff { out.append("retry_backoff \(a.retryBackoff.rawValue) -> \(b.retryBackoff.rawValue)") }
        if a.maxRetryDelayMilliseconds != b.maxRetryDelayMilliseconds { out.append("max_retry_delay \(ms(a.maxRetryDelayMilliseconds)) -> \(ms(b.maxRetryDelayMilliseconds))") }
        if a.timeoutMilliseconds != b.timeoutMilliseconds { out.append("timeout \(ms(a.timeoutMilliseconds)) -> \(ms(b.timeoutMilliseconds))") }
        if a.pool?.value != b.pool?.value { out.append("pool \(a.pool?.value ?? "default") -> \(b.pool?.value ?? "default")") }
        if a.dependsOnPast != b.dependsOnPast { out.append("depends_on_past \(a.dependsOnPast) -> \(b.dependsOnPast)") }
        if a.triggerRule != b.triggerRule { out.append("trigger_rule \(a.triggerRule.rawValue) -> \(b.triggerRule.rawValue)") }
        return out
    }

    // MARK: schedule, settings

    static func scheduleChanges(_ old: Pipeline, _ new: Pipeline) -> [SpecChange] {
        var out: [SpecChange] = []
        func change(_ what: String, _ a: String?, _ b: String?, _ impact: ChangeImpact = .nonBreaking) {
            if a != b {
                out.append(SpecChange(area: "schedule", subject: what, action: a == nil ? .added : b == nil ? .removed : .changed,
                                      impact: impact, detail: "\(a ?? "(none)") -> \(b ?? "(none)")"))
            }
        }
        let a = old.schedule, b = new.schedule
        change("cron", a?.cronText?.value, b?.cronText?.value, .data)
        change("start", a?.schedule.start?.description, b?.schedule.start?.description)
        change("end", a?.schedule.end?.description, b?.schedule.end?.description)
        change("catchup", a.map { "\($0.schedule.catchup)" }, b.map { "\($0.schedule.catchup)" })
        change("timezone", a?.schedule.zone.identifier, b?.schedule.zone.identifier, .data)
        change("semantics", a?.schedule.semantics.rawValue, b?.schedule.semantics.rawValue, .data)
        change("max_active_runs", a.map { "\($0.maxActiveRuns)" }, b.map { "\($0.maxActiveRuns)" })
        return out
    }

    static func settingsChanges(_ old: Pipeline, _ new: Pipeline) -> [SpecChange] {
        var out: [SpecChange] = []
        let policy = policyChanges(old.defaults, new.defaults)
        if !policy.isEmpty {
            out.append(SpecChange(area: "defaults", subject: "defaults", action: .changed, impact: .nonBreaking, detail: policy.joined(separator: ", ")))
        }
        let oldPools = Dictionary(old.pools.map { ($0.name.value, $0.slots) }, uniquingKeysWith: { a, _ in a })
        let newPools = Dictionary(new.pools.map { ($0.name.value, $0.slots) }, uniquingKeysWith: { a, _ in a })
        for name in Set(oldPools.keys).union(newPools.keys).sorted() where oldPools[name] != newPools[name] {
            out.append(SpecChange(area: "pool", subject: name, action: oldPools[name] == nil ? .added : newPools[name] == nil ? .removed : .changed,
                                  impact: .nonBreaking, detail: "slots \(oldPools[name].map(String.init) ?? "(none)") -> \(newPools[name].map(String.init) ?? "(none)")"))
        }
        for r in old.resources where new.resource(r.name.value) == nil {
            out.append(SpecChange(area: "resource", subject: r.name.value, action: .removed, impact: .nonBreaking, detail: "\(r.kind.rawValue) resource removed"))
        }
        for r in new.resources {
            guard let before = old.resource(r.name.value) else {
                out.append(SpecChange(area: "resource", subject: r.name.value, action: .added, impact: .nonBreaking, detail: "\(r.kind.rawValue) resource added"))
                continue
            }
            var details: [String] = []
            if before.kind != r.kind { details.append("kind \(before.kind.rawValue) -> \(r.kind.rawValue)") }
            for key in Set(before.settings.keys).union(r.settings.keys).sorted() where before.settings[key] != r.settings[key] {
                details.append("\(key) \(before.settings[key]?.display ?? "(none)") -> \(r.settings[key]?.display ?? "(none)")")
            }
            if !details.isEmpty {
                out.append(SpecChange(area: "resource", subject: r.name.value, action: .changed, impact: before.kind != r.kind ? .breaking : .nonBreaking,
                                      detail: details.joined(separator: ", ")))
            }
        }
        let oldGroups = old.groups.map(\.name.value), newGroups = new.groups.map(\.name.value)
        for g in oldGroups where !newGroups.contains(g) {
            out.append(SpecChange(area: "group", subject: g, action: .removed, impact: .nonBreaking, detail: "group removed"))
        }
        for g in newGroups where !oldGroups.contains(g) {
            out.append(SpecChange(area: "group", subject: g, action: .added, impact: .nonBreaking, detail: "group added"))
        }
        return out
    }

    // MARK: helpers

    private static func rendered(_ unit: UnitID, _ env: RenderEnvironment) -> String {
        switch UnitRendering.render(unit, env: env) {
        case .success(let parts): return parts.map { parts.count > 1 ? "-- \($0.label)\n\($0.text)" : $0.text }.joined(separator: "\n")
        case .failure(let d): return "-- cannot render: \(d.message)"
        }
    }

    private static func list(_ items: [Located<String>]) -> String? {
        items.isEmpty ? nil : "[" + items.map(\.value).joined(separator: ", ") + "]"
    }

    private static func describe(_ b: Bool?) -> String { b.map { "\($0)" } ?? "default" }

    private static func ms(_ v: Int64?) -> String {
        guard let v else { return "(none)" }
        return SpecDuration(milliseconds: v).description
    }
}
