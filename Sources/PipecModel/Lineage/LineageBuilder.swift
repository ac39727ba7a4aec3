import PipecDiagnostics

extension LineageGraph {
    /// The lineage of a checked pipeline. Derives the dependency graph again (cheap, and without diagnostics: the
    /// loader has reported them already); use `init(pipeline:graph:)` when you hold the graph.
    public init(pipeline: Pipeline) {
        var ignored: [Diagnostic] = []
        self.init(pipeline: pipeline, graph: GraphBuilder.build(pipeline, diagnostics: &ignored))
    }

    /// The lineage of `pipeline`, whose dependency graph is `graph`: derived edges (what each table build and task
    /// reads and writes, where loads come from, where exports go) merged with the spec's `lineage:` entries.
    public init(pipeline: Pipeline, graph: PipelineGraph) {
        var b = LineageBuilder(pipeline: pipeline)
        b.derive(from: graph)
        b.declare(pipeline.lineage)
        self = b.graph()
    }
}

/// Collects nodes and edges, then orders nodes by where the spec declares (or first mentions) them.
///
/// Declaration order means the position in the spec: a table or task at its name, an asset at the path or key
/// that first names it, an undeclared name at its `lineage:` entry. `for_each` copies share their declaration's
/// position, so ties keep the order the copies were expanded in.
struct LineageBuilder {
    let pipeline: Pipeline
    private var nodes: [String: (node: LineageNode, line: Int, column: Int, sequence: Int)] = [:]
    private var edges: [LineageEdge] = []
    /// Tasks that take part in some edge; other tasks (a notify, a pipeline sensor) move no data and are left out.
    private var activeTasks = Set<String>()

    init(pipeline: Pipeline) {
        self.pipeline = pipeline
        for t in pipeline.tables { addTable(t) }
    }

    // MARK: derived

    mutating func derive(from graph: PipelineGraph) {
        for t in pipeline.tables {
            let unit = UnitID.table(t.name.value)
            for r in graph.reads[unit] ?? [] { edge(from: tableNode(r, at: t.name.location), to: t.name.value, .reads) }
        }
        for t in pipeline.tasks {
            let unit = UnitID.task(t.name.value), me = t.name.value
            for r in graph.reads[unit] ?? [] { edge(from: tableNode(r, at: t.name.location), to: me, .reads) }
            for w in graph.writes[unit] ?? [] { edge(from: me, to: tableNode(w, at: t.name.location), .writes) }
            switch t.body {
            case .load(let l):
                switch l.source {
                case .http(let h, _, _, _): edge(from: asset(h.resource, h.path, task: t), to: me, .loads)
                case .object(let o): edge(from: asset(o.resource, o.key, task: t), to: me, .loads)
                case .query: break // the query's ref()/source() calls are among the task's reads
                }
            case .export(let e):
                edge(from: me, to: asset(e.target.resource, e.target.key, task: t), .exports)
            case .sensor(let s):
                switch s.condition {
                case .http(let h): edge(from: asset(h.resource, h.path, task: t), to: me, .reads)
                case .objectKey(let r, let k), .objectPrefix(let r, let k): edge(from: asset(r, k, task: t), to: me, .reads)
                case .sql, .pipeline: break // a query's tables are reads; another pipeline's task is not data
                }
            case .sql, .check, .notify: break
            }
        }
    }

    // MARK: declared

    /// Adds each `lineage:` entry as an edge; one that repeats a derived edge is absorbed by it (the graph keeps
    /// the first edge between two nodes), so declaring what is already derived changes nothing.
    mutating func declare(_ entries: [LineageEntry]) {
        for e in entries {
            edge(from: declaredNode(e.from), to: declaredNode(e.to), .declared)
        }
    }

    /// The node a `lineage:` name refers to: a table, a task, an asset (`resource:path`, or any text with a
    /// `:` such as `s3://bucket/key`), or else a table the spec does not declare.
    private mutating func declaredNode(_ name: Located<String>) -> String {
        let id = name.value
        if pipeline.hasTable(id) || pipeline.hasTask(id) { return id }
        if id.contains(":") {
            let resource = AssetID.resourcePart(of: id).flatMap { pipeline.resource($0) }
            add(LineageNode(id: id, kind: .asset, label: id, resource: resource?.name.value, resourceKind: resource?.kind),
                at: name.location)
        } else {
            add(LineageNode(id: id, kind: .externalTable, label: id), at: name.location)
        }
        return id
    }

    // MARK: nodes

    private mutating func addTable(_ t: Table) {
        add(LineageNode(id: t.name.value, kind: t.external ? .externalTable : .table, label: t.name.value,
                        resource: t.resource.value, resourceKind: pipeline.resource(t.resource.value)?.kind, tableKind: t.kind),
            at: t.name.location)
    }

    /// The id of table `name`, adding an external-table node for a name the spec does not declare (only an
    /// invalid spec reads one, but a graph must never hold an edge to nothing).
    private mutating func tableNode(_ name: String, at location: SourceLocation) -> String {
        if nodes[name] == nil { add(LineageNode(id: name, kind: .externalTable, label: name), at: location) }
        return name
    }

    private mutating func asset(_ resource: Located<String>, _ text: TemplateText, task: Task) -> String {
        let id = AssetID.make(resource: resource.value, text: text.text, item: task.item)
        add(LineageNode(id: id, kind: .asset, label: id, resource: resource.value, resourceKind: pipeline.resource(resource.value)?.kind),
            at: text.location)
        return id
    }

    private func taskNode(_ t: Task) -> LineageNode {
        let resource: String?
        switch t.body {
        case .sql(let q): resource = q.resource.value
        case .check(.query(let q), _): resource = q.resource.value
        case .sensor(let s):
            switch s.condition {
            case .http(let h): resource = h.resource.value
            case .objectKey(let r, _), .objectPrefix(let r, _): resource = r.value
            case .sql(let q): resource = q.resource.value
            case .pipeline: resource = nil
            }
        case .notify(let r, _, _): resource = r.value
        case .load, .export, .check: resource = nil // they span two resources; their edges show which
        }
        return LineageNode(id: t.name.value, kind: .task, label: t.name.value, resource: resource,
                           resourceKind: resource.flatMap { pipeline.resource($0)?.kind }, taskKind: t.kind)
    }

    /// Adds a node unless one with its id exists (the first mention decides its position).
    private mutating func add(_ node: LineageNode, at location: SourceLocation) {
        guard nodes[node.id] == nil else { return }
        nodes[node.id] = (node, location.line, location.column, nodes.count)
    }

    private mutating func edge(from: String, to: String, _ how: LineageHow) {
        edges.append(LineageEdge(from: from, to: to, how: how))
        if pipeline.hasTask(from) { activeTasks.insert(from) }
        if pipeline.hasTask(to) { activeTasks.insert(to) }
    }

    // MARK: result

    func graph() -> LineageGraph {
        var all = nodes
        for t in pipeline.tasks where activeTasks.contains(t.name.value) && all[t.name.value] == nil {
            all[t.name.value] = (taskNode(t), t.name.location.line, t.name.location.column, all.count)
        }
        let ordered = all.values.sorted { a, b in
            (a.line, a.column, a.sequence) < (b.line, b.column, b.sequence)
        }.map(\.node)
        return LineageGraph(pipeline: pipeline.name.value, nodes: ordered, edges: edges)
    }
}
