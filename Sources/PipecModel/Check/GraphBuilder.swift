import PipecDiagnostics

/// Derives the dependency graph from the model (see `PipelineGraph`), reporting names that refer to nothing.
/// Public so later stages (the plan compiler) can order units without re-running the semantic checks.
public enum GraphBuilder {
    public static func build(_ p: Pipeline, diagnostics: inout [Diagnostic]) -> PipelineGraph {
        build(p, uses: TemplateUses.collect(p), diagnostics: &diagnostics)
    }

    /// The graph, with what the templates read already found (the semantic check shares it).
    static func build(_ p: Pipeline, uses: [TemplateUses], diagnostics: inout [Diagnostic]) -> PipelineGraph {
        var g = PipelineGraph()
        // Tables and tasks are read by index, in place: `for t in p.tables` would copy each one.
        let tables = p.tables, tasks = p.tasks
        g.reserveCapacity(tables.count + tasks.count)
        // Units: table builds and views (not external or plain tables), then tasks.
        for i in tables.indices where !tables[i].external && tables[i].sql != nil {
            let name = tables[i].name
            g.addUnit(.table(name.value), at: name.location)
            g.addProducer(.table(name.value), of: name.value)
        }
        for i in tasks.indices {
            let id = UnitID.task(tasks[i].name.value)
            g.addUnit(id, at: tasks[i].name.location)
            if case .load(let l) = tasks[i].body { g.addProducer(id, of: l.into.value) }
            for w in tasks[i].writes { g.addProducer(id, of: w.value) }
        }
        // Only for did-you-mean help, so only built when a name is unknown.
        var tableNames: [String] { tables.map(\.name.value) }

        func dependOnTable(_ unit: UnitID, _ table: String, at location: SourceLocation, reason: @autoclosure () -> String) {
            g.addRead(unit, of: table)
            for producer in g.producers[table] ?? [] {
                g.addEdge(from: unit, to: producer, reason: reason(), at: location)
            }
        }

        // Reads through templates, `reads:` and exports.
        for unit in uses {
            for text in unit.texts {
                for use in text.refs {
                    if !p.hasTable(use.name) {
                        diagnostics.append(.error("E202", "ref('\(use.name)') names an unknown table", at: use.location,
                                                  help: DidYouMean.help(use.name, from: tableNames)))
                        continue
                    }
                    dependOnTable(unit.unit, use.name, at: use.location, reason: "reads '\(use.name)' here")
                }
                for use in text.sources {
                    if !p.hasTable(use.name) {
                        diagnostics.append(.error("E202", "source('\(use.name)') names an unknown table", at: use.location,
                                                  help: DidYouMean.help(use.name, from: tableNames) ?? "declare it under tables: with external: true"))
                        continue
                    }
                    g.addRead(unit.unit, of: use.name)
                }
            }
        }
        for i in tasks.indices {
            let unit = UnitID.task(tasks[i].name.value)
            for r in tasks[i].reads where p.hasTable(r.value) {
                dependOnTable(unit, r.value, at: r.location, reason: "reads '\(r.value)' (reads:)")
            }
            if case .export(let e) = tasks[i].body, case .table(let t, _) = e.source, p.hasTable(t.value) {
                dependOnTable(unit, t.value, at: t.location, reason: "exports '\(t.value)'")
            }
        }

        // after: on tables and tasks (a task, a table or a group).
        let groupMembers = members(of: p, graph: g)
        func after(_ unit: UnitID, _ names: [Located<String>]) {
            for a in names {
                if p.hasTask(a.value) {
                    g.addEdge(from: unit, to: .task(a.value), reason: "runs after '\(a.value)'", at: a.location)
                } else if p.hasTable(a.value) {
                    for producer in g.producers[a.value] ?? [] {
                        g.addEdge(from: unit, to: producer, reason: "runs after '\(a.value)'", at: a.location)
                    }
                } else if let m = groupMembers[a.value] {
                    for member in m { g.addEdge(from: unit, to: member, reason: "runs after group '\(a.value)'", at: a.location) }
                } else {
                    let candidates = tasks.map(\.name.value) + tableNames + p.groups.map(\.name.value)
                    diagnostics.append(.error("E205", "after: names '\(a.value)', which is not a task, table or group", at: a.location,
                                              help: DidYouMean.help(a.value, from: candidates)))
                }
            }
        }
        for i in tables.indices where !tables[i].after.isEmpty && g.locations[.table(tables[i].name.value)] != nil {
            after(.table(tables[i].name.value), tables[i].after)
        }
        for i in tasks.indices { after(.task(tasks[i].name.value), tasks[i].after) }

        // Group ordering: `after:` between groups, and `sequential` for_each copies in the order written.
        for group in p.groups {
            let mine = groupMembers[group.name.value] ?? []
            for a in group.after {
                guard let theirs = groupMembers[a.value] ?? (p.hasTask(a.value) ? [.task(a.value)] : nil) else {
                    diagnostics.append(.error("E204", "group '\(group.name.value)' runs after unknown group '\(a.value)'", at: a.location,
                                              help: DidYouMean.help(a.value, from: p.groups.map(\.name.value))))
                    continue
                }
                for m in mine { for t in theirs { g.addEdge(from: m, to: t, reason: "is in group '\(group.name.value)', which runs after '\(a.value)'", at: a.location) } }
            }
            if group.sequential, let family = group.family, let item = group.item, item.index > 0,
               let previous = p.groups.first(where: { $0.family == family && $0.item?.index == item.index - 1 }) {
                for m in mine {
                    for t in groupMembers[previous.name.value] ?? [] {
                        g.addEdge(from: m, to: t, reason: "runs after the previous copy '\(previous.name.value)' (sequential)", at: group.name.location)
                    }
                }
            }
        }
        return g
    }

    /// Units in each group, by group name.
    static func members(of p: Pipeline, graph: PipelineGraph) -> [String: [UnitID]] {
        var out: [String: [UnitID]] = [:]
        for g in p.groups { out[g.name.value] = [] }
        guard !out.isEmpty else { return out }
        let tables = p.tables, tasks = p.tasks
        for i in tables.indices {
            let name = tables[i].name.value
            if let group = tables[i].group?.value, out[group] != nil, graph.locations[.table(name)] != nil { out[group]!.append(.table(name)) }
        }
        for i in tasks.indices {
            if let group = tasks[i].group?.value, out[group] != nil { out[group]!.append(.task(tasks[i].name.value)) }
        }
        return out
    }
}
