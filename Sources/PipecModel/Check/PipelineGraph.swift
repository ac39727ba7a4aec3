import PipecDiagnostics

/// A unit of work in a pipeline: a table build (or view creation) or a task.
public enum UnitID: Sendable, Hashable, Comparable, CustomStringConvertible {
    case table(String)
    case task(String)

    public var name: String {
        switch self {
        case .table(let n), .task(let n): return n
        }
    }

    public var description: String {
        switch self {
        case .table(let n): return "table '\(n)'"
        case .task(let n): return "task '\(n)'"
        }
    }
}

/// What an edge of the graph means for the unit downstream of it.
public enum DependencyKind: String, Sendable, Hashable {
    /// The unit reads what the upstream produces (`ref()`, `reads:`, a load's or export's table): it needs the
    /// upstream's work, so an upstream that was skipped or failed keeps it from running.
    case data
    /// Only an order (`after:`, group order, `sequential`): the unit waits for the upstream to end, however it ends.
    case ordering
}

/// Why one unit runs after another, and where the spec says so.
public struct Dependency: Sendable, Hashable {
    public var upstream: UnitID
    public var reason: String
    public var location: SourceLocation
    /// A unit that both reads an upstream's table and is ordered after it has one `.data` edge to it.
    public var kind: DependencyKind
}

/// The dependency graph of a pipeline: derived from what templates read (`ref`), `reads`/`writes`, loads and
/// exports, `after:`, and group ordering. Units are kept in declaration order so every traversal is deterministic.
/// Built by `GraphBuilder` (through a `GraphDraft`).
public struct PipelineGraph: Sendable {
    public private(set) var units: [UnitID] = []
    public private(set) var locations: [UnitID: SourceLocation] = [:]
    /// Upstream dependencies of each unit, without duplicates, in the order found.
    public private(set) var upstream: [UnitID: [Dependency]] = [:]
    /// Tables each unit reads and writes (for lineage).
    public private(set) var reads: [UnitID: [String]] = [:]
    public private(set) var writes: [UnitID: [String]] = [:]
    /// Units producing each table.
    public private(set) var producers: [String: [UnitID]] = [:]

    init(units: [UnitID] = [], locations: [UnitID: SourceLocation] = [:], upstream: [UnitID: [Dependency]] = [:],
         reads: [UnitID: [String]] = [:], writes: [UnitID: [String]] = [:], producers: [String: [UnitID]] = [:]) {
        self.units = units
        self.locations = locations
        self.upstream = upstream
        self.reads = reads
        self.writes = writes
        self.producers = producers
    }

    /// Every unit `id` transitively depends on.
    public func ancestors(of id: UnitID) -> Set<UnitID> {
        var seen = Set<UnitID>()
        var stack = [id]
        while let u = stack.popLast() {
            for d in upstream[u] ?? [] where seen.insert(d.upstream).inserted {
                stack.append(d.upstream)
            }
        }
        return seen
    }

    /// Every unit that transitively depends on `id`.
    public func descendants(of id: UnitID) -> Set<UnitID> {
        var down: [UnitID: [UnitID]] = [:]
        for (u, deps) in upstream { for d in deps { down[d.upstream, default: []].append(u) } }
        var seen = Set<UnitID>()
        var stack = [id]
        while let u = stack.popLast() {
            for d in down[u] ?? [] where seen.insert(d).inserted { stack.append(d) }
        }
        return seen
    }

    /// Units in an order where every unit comes after its upstreams, ties broken by declaration order;
    /// nil when there is a cycle.
    public func topologicalOrder() -> [UnitID]? {
        let levels = stages()
        let flat = levels.flatMap { $0 }
        return flat.count == units.count ? flat : nil
    }

    /// Units grouped into stages: every unit of a stage depends only on units of earlier stages, so a stage's
    /// units can run in parallel. Units in a cycle are left out.
    public func stages() -> [[UnitID]] {
        // Kahn's algorithm by levels: O(units + edges), in declaration order within a level.
        let position = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1, $0) })
        var indegree = [Int](repeating: 0, count: units.count)
        var downstream = [[Int]](repeating: [], count: units.count)
        for (i, unit) in units.enumerated() {
            for d in upstream[unit] ?? [] {
                guard let j = position[d.upstream] else { continue }
                indegree[i] += 1
                downstream[j].append(i)
            }
        }
        var level = indegree.indices.filter { indegree[$0] == 0 }
        var result: [[UnitID]] = []
        while !level.isEmpty {
            result.append(level.map { units[$0] })
            var next: [Int] = []
            for i in level {
                for d in downstream[i] {
                    indegree[d] -= 1
                    if indegree[d] == 0 { next.append(d) }
                }
            }
            level = next.sorted()
        }
        return result
    }

    /// Strongly connected components with more than one unit: each is a dependency cycle.
    public func cycles() -> [[UnitID]] {
        let position = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1, $0) })
        var starts = [0], edges: [Int] = []
        starts.reserveCapacity(units.count + 1)
        for unit in units {
            for d in upstream[unit] ?? [] { if let p = position[d.upstream] { edges.append(p) } }
            starts.append(edges.count)
        }
        return CycleFinder.cycles(starts: starts, edges: edges).map { $0.map { units[$0] } }
    }
}
