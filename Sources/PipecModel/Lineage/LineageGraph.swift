/// The table-level lineage of a pipeline: tables, external tables, assets and tasks, and how data flows between
/// them. A plain value: build it from a checked pipeline (`LineageGraph(pipeline:)`), narrow it with
/// `upstream(of:)` / `downstream(of:)`, print it with `LineageMermaid`, `LineageDOT` or `LineageJSON`.
///
/// Order is part of the value: nodes keep the order they were given (the builder uses declaration order) and edges
/// are sorted by their endpoints' node order, so every rendering of the same spec is byte-for-byte the same.
public struct LineageGraph: Sendable, Hashable {
    /// The pipeline's name, for titles.
    public var pipeline: String
    public private(set) var nodes: [LineageNode]
    public private(set) var edges: [LineageEdge]
    /// Node id -> position in `nodes`.
    private var index: [String: Int]

    /// A graph of these nodes (in this order) and edges. Edges whose ends are not nodes, self-edges, and repeats of
    /// an earlier edge between the same two nodes are dropped (the first one's `how` is kept), so the graph is
    /// always well formed; later nodes with an id already seen are dropped the same way.
    public init(pipeline: String, nodes: [LineageNode], edges: [LineageEdge]) {
        self.pipeline = pipeline
        var kept: [LineageNode] = []
        var index: [String: Int] = [:]
        for node in nodes where index[node.id] == nil {
            index[node.id] = kept.count
            kept.append(node)
        }
        var seen = Set<Pair>()
        var valid: [LineageEdge] = []
        for edge in edges {
            guard edge.from != edge.to, index[edge.from] != nil, index[edge.to] != nil,
                  seen.insert(Pair(from: edge.from, to: edge.to)).inserted else { continue }
            valid.append(edge)
        }
        // Stable sort: edges between the same two positions cannot occur twice, so the order is total.
        valid.sort { a, b in
            let (af, bf) = (index[a.from]!, index[b.from]!)
            return af != bf ? af < bf : index[a.to]! < index[b.to]!
        }
        self.nodes = kept
        self.edges = valid
        self.index = index
    }

    private struct Pair: Hashable {
        var from: String
        var to: String
    }

    public static func == (a: LineageGraph, b: LineageGraph) -> Bool {
        a.pipeline == b.pipeline && a.nodes == b.nodes && a.edges == b.edges
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pipeline)
        hasher.combine(nodes)
        hasher.combine(edges)
    }

    /// The node with this id, if the graph has it.
    public func node(_ id: String) -> LineageNode? { index[id].map { nodes[$0] } }

    /// What `id` depends on, transitively, plus `id` itself, with every edge among them; nil when `id` is not a node.
    /// Every edge between two kept nodes lies on a path into `id`, so nothing unrelated sneaks in.
    public func upstream(of id: String) -> LineageGraph? {
        guard index[id] != nil else { return nil }
        return subgraph(keeping: reachable(from: id, forward: false))
    }

    /// What depends on `id`, transitively, plus `id` itself, with every edge among them; nil when `id` is not a node.
    public func downstream(of id: String) -> LineageGraph? {
        guard index[id] != nil else { return nil }
        return subgraph(keeping: reachable(from: id, forward: true))
    }

    /// The nodes in `ids` (in this graph's order) and the edges between them.
    public func subgraph(keeping ids: Set<String>) -> LineageGraph {
        LineageGraph(pipeline: pipeline, nodes: nodes.filter { ids.contains($0.id) },
                     edges: edges.filter { ids.contains($0.from) && ids.contains($0.to) })
    }

    /// Ids reachable from `start` along edges (or against them), including `start`. Iterative, so long chains in
    /// generated specs cannot exhaust the stack; lineage may have cycles (a task reading and writing one table).
    private func reachable(from start: String, forward: Bool) -> Set<String> {
        var next: [String: [String]] = [:]
        for e in edges {
            if forward { next[e.from, default: []].append(e.to) } else { next[e.to, default: []].append(e.from) }
        }
        var seen: Set<String> = [start]
        var stack = [start]
        while let id = stack.popLast() {
            for n in next[id] ?? [] where seen.insert(n).inserted { stack.append(n) }
        }
        return seen
    }
}
