/// Prints a `LineageGraph` as a Graphviz `digraph` laid out left to right (`dot -Tsvg` draws it).
///
/// Tables, external tables and assets sit in one cluster per resource (labelled with the resource and its kind), so
/// a picture shows which system holds what; tasks sit between the clusters because they move data across them.
/// Inside a cluster an asset is labelled by its path alone: the cluster already names the resource. Checks are
/// violet and the edges into them faint, so the path data takes stands out from what merely asserts on it.
/// Node ids are the lineage ids themselves, quoted, so the DOT text stays readable and greppable.
public enum LineageDOT {
    public static func render(_ graph: LineageGraph) -> String {
        var out = "digraph \(quote(graph.pipeline)) {\n"
        out += "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, nodesep=0.35, ranksep=0.8, newrank=true];\n"
        out += "  node [fontname=\"Helvetica\", fontsize=10, style=filled, penwidth=1.2, margin=\"0.15,0.06\"];\n"
        out += "  edge [color=\"#64748b\", arrowsize=0.7, penwidth=1.1, fontname=\"Helvetica\"];\n"

        // Clusters in the order their resources first appear, each with its nodes in graph order.
        var clusterOrder: [String] = []
        var members: [String: [LineageNode]] = [:]
        var loose: [LineageNode] = []
        for node in graph.nodes {
            guard node.kind != .task, let resource = node.resource else {
                loose.append(node)
                continue
            }
            if members[resource] == nil { clusterOrder.append(resource) }
            members[resource, default: []].append(node)
        }
        for resource in clusterOrder {
            let nodes = members[resource] ?? []
            let kind = nodes.first?.resourceKind.map { " (\($0.rawValue))" } ?? ""
            out += "\n  subgraph \(quote("cluster_" + resource)) {\n"
            out += "    graph [label=\(quote(resource + kind)), style=\"rounded,dashed\", color=\"#94a3b8\", fontcolor=\"#334155\", margin=12];\n"
            for node in nodes { out += "    " + statement(node, inCluster: resource) + "\n" }
            out += "  }\n"
        }
        if !loose.isEmpty { out += "\n" }
        for node in loose { out += "  " + statement(node, inCluster: nil) + "\n" }
        if !graph.edges.isEmpty { out += "\n" }
        for edge in graph.edges {
            let attributes: String
            if edge.how == .declared {
                attributes = " [style=dashed, label=\"declared\", fontsize=9, fontcolor=\"#64748b\"]"
            } else if graph.node(edge.to)?.isCheck == true {
                // Faint: a check only asserts on what it reads; the data flows on along the dark edges.
                attributes = " [color=\"#cbd5e1\"]"
            } else {
                attributes = ""
            }
            out += "  \(quote(edge.from)) -> \(quote(edge.to))\(attributes);\n"
        }
        return out + "}\n"
    }

    private static func statement(_ node: LineageNode, inCluster resource: String?) -> String {
        var label = node.label
        if node.kind == .asset, let resource, label.hasPrefix(resource + ":") {
            label = String(label.dropFirst(resource.count + 1))
        }
        if let detail = node.detail { label += "\n(" + detail + ")" }
        let look: String
        switch node.kind {
        case .table: look = "shape=box, fillcolor=\"#dbeafe\", color=\"#1d4ed8\""
        case .externalTable: look = "shape=cylinder, fillcolor=\"#f1f5f9\", color=\"#475569\""
        case .asset: look = "shape=note, fillcolor=\"#fef3c7\", color=\"#b45309\""
        case .task where node.isCheck: look = "shape=box, style=\"rounded,filled\", fillcolor=\"#ede9fe\", color=\"#6d28d9\""
        case .task: look = "shape=box, style=\"rounded,filled\", fillcolor=\"#dcfce7\", color=\"#15803d\""
        }
        return "\(quote(node.id)) [label=\(quote(label)), \(look)];"
    }

    /// A DOT double-quoted string: backslashes and quotes escaped, line breaks as DOT's `\n` (centred lines).
    static func quote(_ text: String) -> String {
        var out = "\""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default: out.append(c)
            }
        }
        return out + "\""
    }
}
