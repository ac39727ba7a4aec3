import PipecDiagnostics

/// A dependency graph under construction, with units by position. The graph builder adds every unit, read and edge
/// of a pipeline here, so a 10,000-unit pipeline hashes each unit's name a few times (once more per dictionary of
/// the finished `PipelineGraph`) rather than on every read and edge, and keeps each unit's edges, reads and writes
/// in `FlatLists` rather than an array apiece. The semantic check asks the draft itself for cycles and ancestors,
/// and never builds the dictionaries.
struct GraphDraft {
    private(set) var units: [UnitID] = []
    private var locations: [SourceLocation] = []
    private var positions: [UnitID: Int] = [:]
    /// Each unit's edges, by position; their reasons become text only when a `Dependency` is made (most never are).
    private var upstream: FlatLists<Edge>
    private var reads: FlatLists<String>
    private var writes: FlatLists<String>
    /// Each table's producing units (by position), as lists numbered by `producerLists`.
    private var producers: FlatLists<Int>
    private var producerLists: [String: Int] = [:]

    init(capacity: Int) {
        units.reserveCapacity(capacity)
        locations.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
        upstream = FlatLists(owners: capacity)
        reads = FlatLists(owners: capacity)
        writes = FlatLists(owners: capacity)
        producers = FlatLists(owners: capacity)
        producerLists.reserveCapacity(capacity)
    }

    /// The unit's position; a unit added again keeps its first place and location.
    mutating func addUnit(_ id: UnitID, at location: SourceLocation) -> Int {
        if let known = positions[id] { return known }
        positions[id] = units.count
        units.append(id)
        locations.append(location)
        _ = upstream.addOwner()
        _ = reads.addOwner()
        _ = writes.addOwner()
        return units.count - 1
    }

    func position(of id: UnitID) -> Int? { positions[id] }

    /// Units producing `table`, in the order added.
    func producers(of table: String) -> FlatLists<Int>.List { producerLists[table].map(producers.list) ?? producers.emptyList }

    mutating func addProducer(_ unit: Int, of table: String) {
        let list = producerLists[table] ?? producers.addOwner()
        producerLists[table] = list
        producers.append(unit, to: list)
        if !writes.contains(unit, where: { $0 == table }) { writes.append(table, to: unit) }
    }

    mutating func addRead(_ unit: Int, of table: String) {
        if !reads.contains(unit, where: { $0 == table }) { reads.append(table, to: unit) }
    }

    /// Adds an edge; a unit has one edge to each upstream, which is a data edge when any reason for it is.
    mutating func addEdge(from unit: Int, to up: Int, reason: EdgeReason, at location: SourceLocation) {
        guard unit != up else { return }
        if upstream.contains(unit, where: { $0.up == up }) {
            if reason.kind == .data {
                upstream.update(unit, where: { $0.up == up && $0.reason.kind == .ordering }) { $0 = Edge(up: up, reason: reason, location: location) }
            }
            return
        }
        upstream.append(Edge(up: up, reason: reason, location: location), to: unit)
    }

    /// Makes an existing ordering edge a data edge (a unit ordered after a task whose outputs it reads); adds none.
    mutating func markData(from unit: Int, to up: Int, reason: EdgeReason, at location: SourceLocation) {
        upstream.update(unit, where: { $0.up == up && $0.reason.kind == .ordering }) { $0 = Edge(up: up, reason: reason, location: location) }
    }

    private struct Edge {
        var up: Int
        var reason: EdgeReason
        var location: SourceLocation
    }

    /// Why one unit depends on another, as `Dependency.reason` words it.
    enum EdgeReason {
        case reads(table: String)
        case readsListed(table: String)
        case exports(table: String)
        case runsAfter(String)
        case runsAfterGroup(String)
        case groupRunsAfter(group: String, after: String)
        case previousCopy(String)
        case readsOutputs(task: String)

        var kind: DependencyKind {
            switch self {
            case .reads, .readsListed, .exports, .readsOutputs: return .data
            case .runsAfter, .runsAfterGroup, .groupRunsAfter, .previousCopy: return .ordering
            }
        }

        var text: String {
            switch self {
            case .reads(let t): return "reads '\(t)' here"
            case .readsListed(let t): return "reads '\(t)' (reads:)"
            case .exports(let t): return "exports '\(t)'"
            case .runsAfter(let name): return "runs after '\(name)'"
            case .runsAfterGroup(let name): return "runs after group '\(name)'"
            case .groupRunsAfter(let group, let after): return "is in group '\(group)', which runs after '\(after)'"
            case .previousCopy(let name): return "runs after the previous copy '\(name)' (sequential)"
            case .readsOutputs(let task): return "reads the outputs of '\(task)' here"
            }
        }
    }

    private func dependency(_ edge: Edge) -> Dependency {
        Dependency(upstream: units[edge.up], reason: edge.reason.text, location: edge.location, kind: edge.reason.kind)
    }

    func location(of unit: Int) -> SourceLocation { locations[unit] }

    /// The unit's upstream dependencies with their positions, in the order found.
    func dependencies(of unit: Int) -> [(Dependency, Int)] {
        upstream.list(of: unit).map { (dependency($0), $0.up) }
    }

    /// Every unit `unit` transitively depends on.
    func ancestors(of unit: Int) -> Set<Int> {
        var seen = Set<Int>()
        var stack = [unit]
        while let u = stack.popLast() {
            for edge in upstream.list(of: u) where seen.insert(edge.up).inserted { stack.append(edge.up) }
        }
        return seen
    }

    /// Dependency cycles, as positions (see `PipelineGraph.cycles`).
    func cycles() -> [[Int]] {
        var starts = [0], edges: [Int] = []
        starts.reserveCapacity(units.count + 1)
        for unit in units.indices {
            for edge in upstream.list(of: unit) { edges.append(edge.up) }
            starts.append(edges.count)
        }
        return CycleFinder.cycles(starts: starts, edges: edges)
    }

    /// The finished graph. Units that read or write nothing have no entry in `reads` or `writes`.
    func graph() -> PipelineGraph {
        var byUnit = [UnitID: SourceLocation](minimumCapacity: units.count)
        var upstreamByUnit = [UnitID: [Dependency]](minimumCapacity: units.count)
        var readsByUnit = [UnitID: [String]](minimumCapacity: units.count)
        var writesByUnit = [UnitID: [String]](minimumCapacity: units.count)
        for (i, unit) in units.enumerated() {
            byUnit[unit] = locations[i]
            upstreamByUnit[unit] = upstream.list(of: i).map(dependency)
            if !reads.list(of: i).isEmpty { readsByUnit[unit] = Array(reads.list(of: i)) }
            if !writes.list(of: i).isEmpty { writesByUnit[unit] = Array(writes.list(of: i)) }
        }
        return PipelineGraph(units: units, locations: byUnit, upstream: upstreamByUnit, reads: readsByUnit, writes: writesByUnit,
                             producers: producerLists.mapValues { producers.list(of: $0).map { units[$0] } })
    }
}
