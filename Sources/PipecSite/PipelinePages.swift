import PipecExec
import PipecModel
import PipecSchedule

/// Writes one pipeline's pages: overview, lineage, runs, one per table, task and asset; and its search entries.
struct PipelinePages {
    let site: PipelineSite
    let paths: SitePaths
    let graph: LineageGraph
    /// Graphs with more nodes are not drawn (Graphviz's layout grows much faster than the graph); their pages
    /// still list every node and its neighbours.
    let drawLimit: Int
    /// Direct neighbours in the lineage graph, by node id.
    private var upstream: [String: [String]] = [:]
    private var downstream: [String: [String]] = [:]
    /// The history by unit (empty without a store).
    private let unitRuns: [String: [RunHistory.UnitRun]]

    var pipeline: Pipeline { site.pipeline }

    init(site: PipelineSite, folder: String, drawLimit: Int) {
        self.site = site
        self.paths = SitePaths(folder: folder)
        self.graph = LineageGraph(pipeline: site.pipeline)
        self.drawLimit = drawLimit
        self.unitRuns = site.history?.byUnit() ?? [:]
        for edge in graph.edges {
            downstream[edge.from, default: []].append(edge.to)
            upstream[edge.to, default: []].append(edge.from)
        }
    }

    var nav: [(String, String)] {
        [(paths.overview, pipeline.name.value), (paths.lineage, "Lineage"), (paths.columns, "Columns"), (paths.runs, "Runs")]
    }

    func page(_ path: String, _ title: String) -> Page { Page(path: path, title: title, redactor: site.redactor) }

    /// Every page of the pipeline: (path from the site root, document).
    func write(_ emit: (String, String) throws -> Void) throws {
        try emit(paths.overview, overview().document(nav: nav))
        try emit(paths.lineage, try lineagePage().document(nav: nav))
        try emit(paths.columns, columnsPage().document(nav: nav))
        try emit(paths.runs, runsPage().document(nav: nav))
        for table in pipeline.tables { try emit(paths.table(table.name.value), tablePage(table).document(nav: nav)) }
        for task in pipeline.tasks { try emit(paths.task(task.name.value), taskPage(task).document(nav: nav)) }
        for node in graph.nodes where node.kind != .task && !pipeline.hasTable(node.id) {
            try emit(paths.asset(node.id), assetPage(node).document(nav: nav))
        }
    }

    /// Search entries: [kind, name, detail, path from the root].
    func searchEntries() -> [[String]] {
        let p = pipeline.name.value
        var out: [[String]] = []
        for table in pipeline.tables {
            let path = paths.table(table.name.value)
            out.append(["table", table.name.value, p, path])
            for column in table.columns {
                out.append(["column", column.name.value, "\(p) · \(table.name.value)", path + "#col-" + SitePaths.slug(column.name.value)])
            }
        }
        for task in pipeline.tasks { out.append(["task", task.name.value, "\(p) · \(task.kind.rawValue)", paths.task(task.name.value)]) }
        for node in graph.nodes where node.kind != .task && !pipeline.hasTable(node.id) {
            out.append([node.kind == .asset ? "asset" : "external table", node.id, p, paths.asset(node.id)])
        }
        return out.map { $0.map { site.redactor.redact($0) } }
    }

    // MARK: pages

    func overview() -> Page {
        var page = page(paths.overview, pipeline.name.value)
        page.heading(1, "Pipeline " + pipeline.name.value)
        if let d = pipeline.description { page.paragraph(d) }
        var facts: [(String, String)] = [
            ("Schedule", page.text(ScheduleWords.describe(pipeline.schedule))),
            ("Cron", pipeline.schedule?.cronText.map { "<code>\(page.text($0.value))</code>" } ?? "<span class=\"muted\">none</span>"),
        ]
        if let owner = pipeline.owner { facts.append(("Owner", page.text(owner))) }
        if !pipeline.tags.isEmpty { facts.append(("Tags", pipeline.tags.map { "<span class=\"tag\">\(page.text($0))</span>" }.joined())) }
        facts.append(("Spec", "<code>\(page.text(pipeline.file))</code>"))
        facts.append(("Defaults", page.text(policyWords(pipeline.defaults))))
        page.facts(facts)

        let checks = pipeline.tables.reduce(0) { $0 + $1.checks.count } + pipeline.tasks.filter { $0.kind == .check }.count
        let counts: [(String, Int)] = [
            ("tables", pipeline.tables.filter { !$0.external }.count), ("external tables", pipeline.tables.filter(\.external).count),
            ("columns", pipeline.tables.reduce(0) { $0 + $1.columns.count }), ("tasks", pipeline.tasks.count),
            ("checks", checks), ("resources", pipeline.resources.count), ("lineage nodes", graph.nodes.count),
            ("runs recorded", site.history?.runs.count ?? 0),
        ]
        page.raw("<div class=\"cards\">" + counts.map { "<div class=\"card\"><b>\($0.1)</b>\(HTML.escape($0.0))</div>" }.joined() + "</div>\n")

        page.heading(2, "Resources")
        for kind in ResourceKind.allCases {
            let resources = pipeline.resources.filter { $0.kind == kind }
            guard !resources.isEmpty else { continue }
            page.heading(3, kind.rawValue)
            page.table(["name", "description", "settings"], resources.map { r in
                var settings = r.settings.keys.sorted().map { "\($0): \(r.settings[$0]!.display)" }
                settings += r.headers.map { "header \($0.0): \($0.1.display)" }
                settings += r.recipients.map { "to: \($0.display)" }
                return ["<span id=\"res-\(SitePaths.slug(r.name.value))\">\(page.text(r.name.value))</span>", page.text(r.description ?? ""),
                        settings.map { "<code>\(page.text($0))</code>" }.joined(separator: "<br>")]
            })
        }

        page.heading(2, "Tables")
        page.table(["table", "on", "kind", "strategy", "columns", "checks", "description"], pipeline.tables.map { t in
            [page.anchor(paths.table(t.name.value), t.name.value), page.text(t.resource.value),
             page.text(t.external ? "external" : t.kind.rawValue), page.text(t.build?.strategy.value.rawValue ?? ""),
             String(t.columns.count), String(t.checks.count), page.text(t.description ?? "")]
        })
        page.heading(2, "Tasks")
        if pipeline.tasks.isEmpty { page.paragraph("No tasks.", cssClass: "muted") } else {
            page.table(["task", "kind", "source", "target", "description"], pipeline.tasks.map { t in
                [page.anchor(paths.task(t.name.value), t.name.value), page.text(t.kind.rawValue), page.text(ModelWords.source(t)),
                 page.text(ModelWords.target(t) ?? ""), page.text(t.description ?? "")]
            })
        }
        return page
    }

    /// Every column of every table on one page: the data dictionary, and what a reader searches with the browser.
    func columnsPage() -> Page {
        var page = page(paths.columns, "Columns of " + pipeline.name.value)
        page.heading(1, "Columns of " + pipeline.name.value)
        var rows: [[String]] = []
        for table in pipeline.tables {
            let path = paths.table(table.name.value)
            for c in table.columns {
                rows.append([page.anchor(path, table.name.value), page.anchor(path + "#col-" + SitePaths.slug(c.name.value), c.name.value, cssClass: "column"),
                             "<code>\(page.text(c.type.value))</code>", c.nullable.map { $0 ? "yes" : "no" } ?? "", c.pii ? "pii" : "", page.text(c.description ?? "")])
            }
        }
        page.table(["table", "column", "type", "nullable", "pii", "description"], rows, id: "all-columns")
        return page
    }

    func lineagePage() throws -> Page {
        var page = page(paths.lineage, "Lineage of " + pipeline.name.value)
        page.heading(1, "Lineage of " + pipeline.name.value)
        page.paragraph("\(graph.nodes.count) nodes, \(graph.edges.count) edges. Hover a node to light up what it reads (upstream) and what reads it (downstream); click it to open its page.", cssClass: "muted")
        page.raw("<div class=\"lineage-tools\"><input id=\"lineage-filter\" type=\"search\" placeholder=\"Filter nodes by name\" aria-label=\"Filter lineage nodes\"> <span id=\"lineage-count\" class=\"muted\"></span> ")
        page.raw("<span class=\"legend\"><span class=\"up\">■ upstream</span><span class=\"down\">■ downstream</span></span></div>\n")
        if graph.nodes.count <= drawLimit {
            let svg = try LineageSVG.render(graph) { node in
                // Relative to the lineage page, which sits in the pipeline's folder.
                String(paths.page(of: node, in: pipeline).dropFirst("pipelines/\(paths.folder)/".count))
            }
            page.raw("<div id=\"lineage\">\n\(LineageSVG.inline(svg))\n</div>\n")
        } else {
            page.paragraph("The graph has \(graph.nodes.count) nodes; pipec draws graphs of up to \(drawLimit). Every node is listed below with its neighbours; `pipec lineage --format svg --upstream NAME` draws part of it.", cssClass: "muted")
            page.raw("<div id=\"lineage\"></div>\n")
        }
        page.raw("<script>window.PIPEC_LINEAGE = \(lineageData());</script>\n")
        page.heading(2, "Nodes")
        page.table(["node", "kind", "reads from", "read by"], graph.nodes.map { node in
            [page.anchor(paths.page(of: node, in: pipeline), node.id, cssClass: "node-link"), page.text(node.detail.map { "\(node.kind.rawValue) (\($0))" } ?? node.kind.rawValue),
             links(upstream[node.id] ?? [], on: page), links(downstream[node.id] ?? [], on: page)]
        }, id: "lineage-nodes")
        return page
    }

    /// `{"nodes": [id...], "edges": [[from, to]...]}` by position, for the page's script.
    private func lineageData() -> String {
        var position: [String: Int] = [:]
        for (i, n) in graph.nodes.enumerated() { position[n.id] = i }
        let nodes = graph.nodes.map { HTML.jsonString(site.redactor.redact($0.id)) }.joined(separator: ",")
        let edges = graph.edges.map { "[\(position[$0.from]!),\(position[$0.to]!)]" }.joined(separator: ",")
        return "{\"nodes\":[\(nodes)],\"edges\":[\(edges)]}"
    }

    private func links(_ ids: [String], on page: Page) -> String {
        ids.compactMap { id in graph.node(id).map { page.anchor(paths.page(of: $0, in: pipeline), id) } }.joined(separator: "<br>")
    }

    private func neighbours(_ id: String, on page: inout Page) {
        page.heading(2, "Upstream and downstream")
        page.facts([
            ("Reads from", (upstream[id] ?? []).isEmpty ? "<span class=\"muted\">nothing</span>" : links(upstream[id] ?? [], on: page)),
            ("Read by", (downstream[id] ?? []).isEmpty ? "<span class=\"muted\">nothing</span>" : links(downstream[id] ?? [], on: page)),
            ("Lineage", graph.node(id) == nil ? "<span class=\"muted\">not in the lineage graph</span>"
                : "<a href=\"\(page.link(paths.lineage))#\(page.text(id))\">show in the graph</a>"),
        ])
    }

    func tablePage(_ table: Table) -> Page {
        let name = table.name.value
        var page = page(paths.table(name), name)
        page.heading(1, (table.external ? "External table " : table.kind == .table ? "Table " : "View ") + name)
        if let d = table.description { page.paragraph(d) }
        var facts: [(String, String)] = [("On", page.text(table.resource.value) + (pipeline.resource(table.resource.value).map { " <span class=\"muted\">(\($0.kind.rawValue))</span>" } ?? ""))]
        if let owner = pipeline.owner { facts.append(("Owner", page.text(owner))) }
        facts.append(("Kind", page.text(table.external ? "external (not created by this pipeline)" : table.kind.rawValue)))
        if let build = table.build {
            facts.append(("Strategy", page.text(build.strategy.value.rawValue)))
            if let c = build.intervalColumn { facts.append(("Interval column", page.text(c.value))) }
            if !build.trackedColumns.isEmpty { facts.append(("Tracked columns", page.text(build.trackedColumns.map(\.value).joined(separator: ", ")))) }
            if let c = build.versionColumn { facts.append(("Version column", page.text(c.value))) }
        }
        for task in pipeline.tasks {
            if case .load(let load) = task.body, load.into.value == name {
                var loaded = page.anchor(paths.task(task.name.value), task.name.value)
                if let s = load.strategy { loaded += page.text(", strategy \(s.value.rawValue)") }
                if let c = load.intervalColumn { loaded += page.text(", interval column \(c.value)") }
                facts.append(("Loaded by", loaded))
            }
        }
        if let e = table.engine { facts.append(("Engine", "<code>\(page.text(e.value))</code>")) }
        if let p = table.partitionBy { facts.append(("Partition by", "<code>\(page.text(p.value))</code>")) }
        if !table.orderBy.isEmpty { facts.append(("Order by", "<code>\(page.text(table.orderBy.map(\.value).joined(separator: ", ")))</code>")) }
        if !table.primaryKey.isEmpty { facts.append(("Primary key", "<code>\(page.text(table.primaryKey.map(\.value).joined(separator: ", ")))</code>")) }
        if table.staging { facts.append(("Staging", "yes")) }
        if !table.checks.isEmpty { facts.append(("Bad rows", page.text(table.onBadRows.rawValue))) }
        if let g = table.group { facts.append(("Group", page.text(g.value))) }
        if !table.after.isEmpty { facts.append(("After", page.text(table.after.map(\.value).joined(separator: ", ")))) }
        page.facts(facts)

        page.heading(2, "Columns")
        page.table(["column", "type", "nullable", "pii", "description"], table.columns.map { c in
            ["<span id=\"col-\(SitePaths.slug(c.name.value))\" class=\"column\">\(page.text(c.name.value))</span>", "<code>\(page.text(c.type.value))</code>",
             c.nullable.map { $0 ? "yes" : "no" } ?? "<span class=\"muted\">dialect default</span>", c.pii ? "<b class=\"warn\">pii</b>" : "",
             page.text(c.description ?? "")]
        }, id: "columns")

        page.heading(2, "Checks")
        if table.checks.isEmpty { page.paragraph("No checks.", cssClass: "muted") } else {
            page.table(["check", "rule", "severity", "description"], table.checks.map { c in
                [page.text(c.rule.name), "<code>\(page.text(ModelWords.rule(c.rule)))</code>", page.text(c.severity.rawValue), page.text(c.description ?? "")]
            })
        }

        if let sql = table.sql {
            page.heading(2, "SQL as written")
            if let path = sql.path { page.paragraph("From \(path)", cssClass: "muted") }
            page.code(sql.text)
            rendered(.table(name), on: &page)
        }
        neighbours(name, on: &page)
        history(of: name, on: &page)
        return page
    }

    func taskPage(_ task: Task) -> Page {
        let name = task.name.value
        var page = page(paths.task(name), name)
        page.heading(1, "Task " + name)
        if let d = task.description { page.paragraph(d) }
        var facts: [(String, String)] = [("Kind", page.text(task.kind.rawValue)), ("Source", page.text(ModelWords.source(task)))]
        if let target = ModelWords.target(task) { facts.append(("Target", page.text(target))) }
        if !task.reads.isEmpty { facts.append(("Reads", page.text(task.reads.map(\.value).joined(separator: ", ")))) }
        if !task.writes.isEmpty { facts.append(("Writes", page.text(task.writes.map(\.value).joined(separator: ", ")))) }
        if let g = task.group { facts.append(("Group", page.text(g.value))) }
        if !task.after.isEmpty { facts.append(("After", task.after.map { a in pipeline.hasTask(a.value) ? page.anchor(paths.task(a.value), a.value)
            : pipeline.hasTable(a.value) ? page.anchor(paths.table(a.value), a.value) : page.text(a.value) }.joined(separator: ", "))) }
        if let when = task.when { facts.append(("Runs when", "<code>\(page.text(when.text))</code>")) }
        facts.append(("Policy", page.text(policyWords(task.policy))))
        page.facts(facts)

        page.heading(2, "Schedule of its runs")
        page.paragraph("It runs in every run of the pipeline: " + ScheduleWords.describe(pipeline.schedule) + ".")
        let upcoming = firstRuns(5)
        if !upcoming.isEmpty {
            page.table(["run", "ds", "data interval"], upcoming.map { r in
                [page.text(r.runId), page.text(AirflowFormat.ds(r.logicalDate)), page.text("[\(r.dataIntervalStart), \(r.dataIntervalEnd))")]
            })
        }

        let templates = ModelWords.templates(task)
        if !templates.isEmpty {
            page.heading(2, "As written")
            for (label, text) in templates {
                page.paragraph(label, cssClass: "muted")
                page.code(text)
            }
            rendered(.task(name), on: &page)
        }
        neighbours(name, on: &page)
        history(of: name, on: &page)
        return page
    }

    func assetPage(_ node: LineageNode) -> Page {
        var page = page(paths.asset(node.id), node.id)
        page.heading(1, (node.kind == .asset ? "Asset " : "External table ") + node.id)
        var facts: [(String, String)] = [("Kind", page.text(node.kind == .asset ? "asset outside any database" : "table this pipeline does not declare"))]
        if let r = node.resource { facts.append(("Resource", page.text(r + (node.resourceKind.map { " (\($0.rawValue))" } ?? "")))) }
        page.facts(facts)
        neighbours(node.id, on: &page)
        return page
    }

    func runsPage() -> Page {
        var page = page(paths.runs, "Runs of " + pipeline.name.value)
        page.heading(1, "Runs of " + pipeline.name.value)
        guard let history = site.history else {
            page.paragraph("No state store was read, so there is no run history here. Give `pipec docs --state` (or apply the pipeline first: the default store is .pipec/state.sqlite beside the spec).", cssClass: "muted")
            return page
        }
        page.paragraph("From \(history.source): the last \(history.runs.count) run(s).", cssClass: "muted")
        guard !history.runs.isEmpty else { return page }
        page.raw(BarChart(title: "Rows quarantined or dropped per run", unit: "", bars: history.runs.map {
            .init(label: $0.summary.ds, value: Double(RunHistory.quarantined($0.checks)), tone: "warn")
        }).svg())
        page.raw(BarChart(title: "Task time per run (sum of tries)", unit: " ms", bars: history.runs.map { run in
            let ms = run.tries.compactMap(\.durationMilliseconds).reduce(0, +)
            return .init(label: run.summary.ds, value: Double(ms), tone: run.summary.status == "success" ? "ok" : "bad")
        }).svg())
        page.raw(BarChart(title: "Failed checks per run", unit: "", bars: history.runs.map { run in
            .init(label: run.summary.ds, value: Double(run.checks.filter { $0.status == "failed" }.count), tone: "bad")
        }).svg())
        page.heading(2, "Runs")
        page.table(["run", "ds", "status", "started", "ended", "task tries", "failed tries", "checks failed", "rows quarantined"], history.runs.reversed().map { run in
            [page.text(run.summary.runID), page.text(run.summary.ds), status(run.summary.status, on: page), page.text(run.summary.startedAt),
             page.text(run.summary.endedAt ?? ""), String(run.tries.count), String(run.tries.filter { $0.status == "failed" }.count),
             String(run.checks.filter { $0.status == "failed" }.count), String(RunHistory.quarantined(run.checks))]
        }, id: "runs")
        page.heading(2, "Units in the last run")
        let last = history.runs[history.runs.count - 1]
        var seen = Set<String>()
        var tries: [String: Int] = [:]
        for t in last.tries { tries[t.unit, default: 0] += 1 }
        page.table(["unit", "status", "tries", "duration", "rows"], last.tries.reversed().compactMap { t -> [String]? in
            guard seen.insert(t.unit).inserted else { return nil }
            return [unitLink(t.unit, on: page), status(t.status, on: page), String(tries[t.unit] ?? 0),
                    t.durationMilliseconds.map { ModelWords.duration($0) } ?? "", t.rows.map(String.init) ?? ""]
        }.reversed())
        return page
    }

    // MARK: parts

    private func unitLink(_ unit: String, on page: Page) -> String {
        if pipeline.hasTable(unit) { return page.anchor(paths.table(unit), unit) }
        if pipeline.hasTask(unit) { return page.anchor(paths.task(unit), unit) }
        return page.text(unit)
    }

    private func status(_ s: String, on page: Page) -> String {
        "<span class=\"status-\(SitePaths.slug(s))\">\(page.text(s))</span>"
    }

    private func rendered(_ unit: UnitID, on page: inout Page) {
        let env = RenderEnvironment(pipeline: pipeline, run: site.run)
        page.heading(2, "Rendered for ds \(AirflowFormat.ds(site.run.logicalDate))")
        page.paragraph("Run \(site.run.runId), data interval [\(site.run.dataIntervalStart), \(site.run.dataIntervalEnd)). Environment references are not resolved.", cssClass: "muted")
        if let note = site.runNote { page.paragraph(note, cssClass: "muted") }
        switch UnitRendering.render(unit, env: env) {
        case .failure(let diagnostic):
            page.paragraph("Cannot render: \(diagnostic.message)", cssClass: "bad")
        case .success(let parts):
            for part in parts {
                if parts.count > 1 || part.label != "build" { page.paragraph(part.label, cssClass: "muted") }
                page.code(part.text)
            }
        }
    }

    private func history(of unit: String, on page: inout Page) {
        guard let history = site.history else { return }
        page.heading(2, "History")
        let runs = unitRuns[unit] ?? []
        guard !runs.isEmpty else {
            page.paragraph("No run of \(unit) is recorded in \(history.source).", cssClass: "muted")
            return
        }
        page.raw(BarChart(title: "Duration per run", unit: " ms", bars: runs.map { r in
            .init(label: r.run.ds, value: r.last?.durationMilliseconds.map { Double($0) }, tone: r.last?.status == "success" ? "ok" : "bad")
        }).svg())
        page.raw(BarChart(title: "Rows per run", unit: "", bars: runs.map { .init(label: $0.run.ds, value: $0.last?.rows.map(Double.init)) }).svg())
        if runs.contains(where: { RunHistory.quarantined($0.checks) > 0 }) {
            page.raw(BarChart(title: "Rows quarantined or dropped per run", unit: "", bars: runs.map {
                .init(label: $0.run.ds, value: Double(RunHistory.quarantined($0.checks)), tone: "warn")
            }).svg())
        }
        page.table(["run", "ds", "status", "tries", "duration", "rows", "checks"], runs.reversed().map { r in
            [page.text(r.run.runID), page.text(r.run.ds), status(r.last?.status ?? "checked", on: page), String(r.tries.count),
             r.last?.durationMilliseconds.map { ModelWords.duration($0) } ?? "", r.last?.rows.map(String.init) ?? "",
             r.checks.map { c in "\(page.text(c.check)): \(status(c.status, on: page))" + (c.violations.map { $0 > 0 ? " (\($0))" : "" } ?? "") }.joined(separator: "<br>")]
        }, id: "history")
        if let failed = runs.last?.tries.last(where: { $0.error != nil }), let error = failed.error {
            page.paragraph("Last error (try \(failed.tryNumber)):", cssClass: "bad")
            page.code(error, language: "text")
        }
    }

    private func policyWords(_ p: RunPolicy) -> String {
        var parts = ["retries \(p.retries)"]
        if p.retries > 0 { parts.append("retry delay \(ModelWords.duration(p.retryDelayMilliseconds)) (\(p.retryBackoff.rawValue))") }
        if let t = p.timeoutMilliseconds { parts.append("timeout \(ModelWords.duration(t))") }
        if let pool = p.pool { parts.append("pool \(pool.value)") }
        if p.dependsOnPast { parts.append("depends on past") }
        if p.triggerRule != .allSuccess { parts.append("trigger rule \(p.triggerRule.rawValue)") }
        return parts.joined(separator: ", ")
    }

    /// The schedule's first runs (from its start), or the one sample run for schedules without a series.
    private func firstRuns(_ count: Int) -> [RunTimes] {
        guard let schedule = pipeline.schedule?.schedule else { return [] }
        if case .cron(let cron) = schedule.kind, let start = schedule.start {
            var out: [RunTimes] = []
            var at = start.adding(seconds: -1)
            while out.count < count, let next = cron.next(after: at, in: schedule.zone) {
                if let end = schedule.end, next > end { break }
                out.append(schedule.runTimes(logicalDate: next))
                at = next
            }
            return out
        }
        return [site.run]
    }
}
