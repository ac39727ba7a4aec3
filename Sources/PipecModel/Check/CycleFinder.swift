/// Dependency cycles of a graph given by unit positions: Tarjan's strongly connected components, iteratively (deep
/// pipelines must not overflow the call stack). Shared by `PipelineGraph` and the semantic check's `GraphDraft`.
enum CycleFinder {
    /// Components of more than one unit, each sorted by position (declaration order), in the order Tarjan
    /// completes them. The upstreams of unit `u` are `edges[starts[u]..<starts[u + 1]]`.
    static func cycles(starts: [Int], edges: [Int]) -> [[Int]] {
        let count = starts.count - 1
        var index = 0
        var indices = [Int](repeating: -1, count: count), lowlink = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count), stack: [Int] = []
        var result: [[Int]] = []
        // A work item is a unit and its next edge.
        for root in 0..<count where indices[root] < 0 {
            var work: [(unit: Int, edge: Int)] = [(root, 0)]
            while let (v, i) = work.popLast() {
                if i == 0 {
                    indices[v] = index; lowlink[v] = index; index += 1
                    stack.append(v); onStack[v] = true
                }
                if starts[v] + i < starts[v + 1] {
                    work.append((v, i + 1))
                    let w = edges[starts[v] + i]
                    if indices[w] < 0 {
                        work.append((w, 0))
                    } else if onStack[w] {
                        lowlink[v] = min(lowlink[v], indices[w])
                    }
                    continue
                }
                if let parent = work.last, parent.edge > 0 {
                    lowlink[parent.unit] = min(lowlink[parent.unit], lowlink[v])
                }
                if lowlink[v] == indices[v] {
                    var component: [Int] = []
                    while let w = stack.popLast() {
                        onStack[w] = false
                        component.append(w)
                        if w == v { break }
                    }
                    if component.count > 1 { result.append(component.sorted()) }
                }
            }
        }
        return result
    }
}
