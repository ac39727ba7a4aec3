import PipecDiagnostics

/// Derives the dependency graph from the model (see `PipelineGraph`), reporting names that refer to nothing.
/// Public so later stages (the plan compiler) can order units without re-running the semantic checks.
public enum GraphBuilder {
    public static func build(_ p: Pipeline, diagnostics: inout [Diagnostic]) -> PipelineGraph {
        draft(p, uses: TemplateUses.collect(p), diagnostics: &diagnostics).graph()
    }

    /// The graph by unit position, with what the templates read already found (the semantic check shares it).
    static func draft(_ p: Pipeline, uses: [TemplateUses], diagnostics: inout [Diagnostic]) -> GraphDraft {
        // Tables and tasks are read by index, in place: `for t in p.tables` would copy each one.
        let tables = p.tables, tasks = p.tasks
        var g = GraphDraft(capacity: tables.count + tasks.count)
        // Units: table builds and views (not external or plain tables), then tasks.
        for i in tables.indices where !tables[i].external && tables[i].sql != nil {
            let name = tables[i].name
            g.addProducer(g.addUnit(.table(name.value), at: name.location), of: name.value)
        }
        for i in tasks.indices {
            let unit = g.addUnit(.task(tasks[i].name.value), at: tasks[i].name.location)
            if case .load(let l) = tasks[i].body { g.addProducer(unit, of: l.into.value) }
            for w in tasks[i].writes { g.addProducer(unit, of: w.value) }
        }
        // Only for did-you-mean help, so only built when a name is unknown.
        var tableNames: [String] { tables.map(\.name.value) }

        func dependOnTable(_ unit: Int, _ table: String, at location: SourceLocation, reason: GraphDraft.EdgeReason) {
            g.addRead(unit, of: table)
            for producer in g.producers(of: table) {
                g.addEdge(from: unit, to: producer, reason: reason, at: location)
            }
        }

        // Reads through templates, `reads:` and exports.
        for unit in uses {
            let position = g.position(of: unit.unit)
            for text in unit.texts {
                for use in text.refs {
                    if !p.hasTable(use.name) {
                        diagnostics.append(.error("E202", "ref('\(use.name)') names an unknown table", at: use.location,
                                                  help: DidYouMean.help(use.name, from: tableNames)))
                        continue
                    }
                    if let position { dependOnTable(position, use.name, at: use.location, reason: .reads(table: use.name)) }
                }
                for use in text.sources {
                    if !p.hasTable(use.name) {
                        diagnostics.append(.error("E202", "source('\(use.name)') names an unknown table", at: use.location,
                                                  help: DidYouMean.help(use.name, from: tableNames) ?? "declare it under tables: with external: true"))
                        continue
                    }
                    if let position { g.addRead(position, of: use.name) }
                }
            }
        }
        for i in tasks.indices {
            guard let unit = g.position(of: .task(tasks[i].name.value)) else { continue }
            for r in tasks[i].reads where p.hasTable(r.value) {
                dependOnTable(unit, r.value, at: r.location, reason: .readsListed(table: r.value))
            }
            if case .export(let e) = tasks[i].body, case .table(let t, _) = e.source, p.hasTable(t.value) {
                dependOnTable(unit, t.value, at: t.location, reason: .exports(table: t.value))
            }
        }

        // after: on tables and tasks (a task, a table or a group).
        let groupMembers = members(of: p, graph: g)
        func after(_ unit: Int, _ names: [Located<String>]) {
            for a in names {
                if p.hasTask(a.value) {
                    if let task = g.position(of: .task(a.value)) { g.addEdge(from: unit, to: task, reason: .runsAfter(a.value), at: a.location) }
                } else if p.hasTable(a.value) {
                    for producer in g.producers(of: a.value) {
                        g.addEdge(from: unit, to: producer, reason: .runsAfter(a.value), at: a.location)
                    }
                } else if let m = groupMembers[a.value] {
                    for member in m { g.addEdge(from: unit, to: member, reason: .runsAfterGroup(a.value), at: a.location) }
                } else {
                    let candidates = tasks.map(\.name.value) + tableNames + p.groups.map(\.name.value)
                    diagnostics.append(.error("E205", "after: names '\(a.value)', which is not a task, table or group", at: a.location,
                                              help: DidYouMean.help(a.value, from: candidates)))
                }
            }
        }
        for i in tables.indices where !tables[i].after.isEmpty {
            if let unit = g.position(of: .table(tables[i].name.value)) { after(unit, tables[i].after) }
        }
        for i in tasks.indices where !tasks[i].after.isEmpty {
            if let unit = g.position(of: .task(tasks[i].name.value)) { after(unit, tasks[i].after) }
        }

        // Group ordering: `after:` between groups, and `sequential` for_each copies in the order written.
        for group in p.groups {
            let mine = groupMembers[group.name.value] ?? []
            for a in group.after {
                let task = p.hasTask(a.value) ? g.position(of: .task(a.value)).map { [$0] } : nil
                guard let theirs = groupMembers[a.value] ?? task else {
                    diagnostics.append(.error("E204", "group '\(group.name.value)' runs after unknown group '\(a.value)'", at: a.location,
                                              help: DidYouMean.help(a.value, from: p.groups.map(\.name.value))))
                    continue
                }
                for m in mine { for t in theirs { g.addEdge(from: m, to: t, reason: .groupRunsAfter(group: group.name.value, after: a.value), at: a.location) } }
            }
            if group.sequential, let family = group.family, let item = group.item, item.index > 0,
               let previous = p.groups.first(where: { $0.family == family && $0.item?.index == item.index - 1 }) {
                for m in mine {
                    for t in groupMembers[previous.name.value] ?? [] {
                        g.addEdge(from: m, to: t, reason: .previousCopy(previous.name.value), at: group.name.location)
                    }
                }
            }
        }
        // An ordering edge to a task whose outputs the unit reads (`{{ tasks.wait.rows }}`) carries data.
        for unit in uses {
            guard let position = g.position(of: unit.unit) else { continue }
            for text in unit.texts {
                for use in text.taskOutputs {
                    if let task = g.position(of: .task(use.name)) { g.markData(from: position, to: task, reason: .readsOutputs(task: use.name), at: use.location) }
                }
            }
        }
        return g
    }

    /// Units in each group (as positions in `graph`), by group name.
    static func members(of p: Pipeline, graph: GraphDraft) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for g in p.groups { out[g.name.value] = [] }
        guard !out.isEmpty else { return out }
        let tables = p.tables, tasks = p.tasks
        for i in tables.indices {
            if let group = tables[i].group?.value, out[group] != nil, let unit = graph.position(of: .table(tables[i].name.value)) {
                out[group]!.append(unit)
            }
        }
        for i in tasks.indices {
            if let group = tasks[i].group?.value, out[group] != nil, let unit = graph.position(of: .task(tasks[i].name.value)) {
                out[group]!.append(unit)
            }
        }
        return out
    }
}
