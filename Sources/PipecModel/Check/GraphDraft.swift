import PipecDiagnostics

/// A dependency graph under construction, with units by position. The graph builder adds every unit, read and edge
/// of a pipeline here, so a 10,000-unit pipeline hashes each unit's name a few times (once more per dictionary of
/// the finished `PipelineGraph`) rather than on every read and edge. The semantic check asks the draft itself for
/// cycles and ancestors, and never builds the dictionaries.
struct GraphDraft {
    private(set) var units: [UnitID] = []
    private var locations: [SourceLocation] = []
    private var positions: [UnitID: Int] = [:]
    /// Each unit's edges; their reasons become text only when a `Dependency` is made (most never are).
    private var upstream: [[Edge]] = []
    /// `upstream` as positions, to find an edge already there without comparing names.
    private var upstreamPositions: [[Int]] = []
    private var reads: [[String]] = []
    private var writes: [[String]] = []
    private var producers: [String: [Int]] = [:]

    init(capacity: Int) {
        units.reserveCapacity(capacity)
        locations.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
        upstream.reserveCapacity(capacity)
        upstreamPositions.reserveCapacity(capacity)
        reads.reserveCapacity(capacity)
        writes.reserveCapacity(capacity)
        producers.reserveCapacity(capacity)
    }

    /// The unit's position; a unit added again keeps its first place and location.
    mutating func addUnit(_ id: UnitID, at location: SourceLocation) -> Int {
        if let known = positions[id] { return known }
        positions[id] = units.count
        units.append(id)
        locations.append(location)
        upstream.append([])
        upstreamPositions.append([])
        reads.append([])
        writes.append([])
        return units.count - 1
    }

    func position(of id: UnitID) -> Int? { positions[id] }

    /// Units producing `table`, in the order added.
    func producers(of table: String) -> [Int] { producers[table] ?? [] }

    mutating func addProducer(_ unit: Int, of table: String) {
        producers[table, default: []].append(unit)
        if !writes[unit].contains(table) { writes[unit].append(table) }
    }

    mutating func addRead(_ unit: Int, of table: String) {
        if !reads[unit].contains(table) { reads[unit].append(table) }
    }

    mutating func addEdge(from unit: Int, to up: Int, reason: EdgeReason, at location: SourceLocation) {
        guard unit != up, !upstreamPositions[unit].contains(up) else { return }
        upstreamPositions[unit].append(up)
        upstream[unit].append(Edge(reason: reason, location: location))
    }

    private struct Edge {
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

        var text: String {
            switch self {
            case .reads(let t): return "reads '\(t)' here"
            case .readsListed(let t): return "reads '\(t)' (reads:)"
            case .exports(let t): return "exports '\(t)'"
            case .runsAfter(let name): return "runs after '\(name)'"
            case .runsAfterGroup(let name): return "runs after group '\(name)'"
            case .groupRunsAfter(let group, let after): return "is in group '\(group)', which runs after '\(after)'"
            case .previousCopy(let name): return "runs after the previous copy '\(name)' (sequential)"
            }
        }
    }

    private func dependency(_ edge: Edge, to up: Int) -> Dependency {
        Dependency(upstream: units[up], reason: edge.reason.text, location: edge.location)
    }

    func location(of unit: Int) -> SourceLocation { locations[unit] }

    /// The unit's upstream dependencies with their positions, in the order found.
    func dependencies(of unit: Int) -> [(Dependency, Int)] {
        zip(upstream[unit], upstreamPositions[unit]).map { (dependency($0, to: $1), $1) }
    }

    /// Every unit `unit` transitively depends on.
    func ancestors(of unit: Int) -> Set<Int> {
        var seen = Set<Int>()
        var stack = [unit]
        while let u = stack.popLast() {
            for up in upstreamPositions[u] where seen.insert(up).inserted { stack.append(up) }
        }
        return seen
    }

    /// Dependency cycles, as positions (see `PipelineGraph.cycles`).
    func cycles() -> [[Int]] {
        var starts = [0], edges: [Int] = []
        starts.reserveCapacity(units.count + 1)
        for ups in upstreamPositions {
            edges += ups
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
            upstreamByUnit[unit] = zip(upstream[i], upstreamPositions[i]).map { dependency($0, to: $1) }
            if !reads[i].isEmpty { readsByUnit[unit] = reads[i] }
            if !writes[i].isEmpty { writesByUnit[unit] = writes[i] }
        }
        return PipelineGraph(units: units, locations: byUnit, upstream: upstreamByUnit, reads: readsByUnit, writes: writesByUnit,
                             producers: producers.mapValues { $0.map { units[$0] } })
    }
}
