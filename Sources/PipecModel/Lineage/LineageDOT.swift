/// Prints a `LineageGraph` as a Graphviz `digraph` laid out left to right (`dot -Tsvg` draws it).
///
/// Tables, external tables and assets sit in one cluster per resource (labelled with the resource and its kind), so
/// a picture shows which system holds what; tasks sit between the clusters because they move data across them.
/// Inside a cluster an asset is labelled by its path alone: the cluster already names the resource. Checks are
/// violet and the edges into them faint, so the path data takes stands out from what merely asserts on it.
/// Node ids are the lineage ids themselves, quoted, so the DOT text stays readable and greppable.
///
/// With `links` (the docs site), each node also gets `URL` (where clicking it leads) and an `id` of `n<position>`,
/// each edge an `id` of `e<position>`, so the drawn SVG can be scripted without reading labels back.
public enum LineageDOT {
    public static func render(_ graph: LineageGraph, links: ((LineageNode) -> String)? = nil) -> String {
        var position: [String: Int] = [:]
        for (i, node) in graph.nodes.enumerated() { position[node.id] = i }
        func scripted(_ node: LineageNode) -> String {
            guard let links else { return "" }
            return ", URL=\(quote(links(node))), target=\"_top\", id=\"n\(position[node.id] ?? 0)\""
        }
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
            for node in nodes { out += "    " + statement(node, inCluster: resource, extra: scripted(node)) + "\n" }
            out += "  }\n"
        }
        if !loose.isEmpty { out += "\n" }
        for node in loose { out += "  " + statement(node, inCluster: nil, extra: scripted(node)) + "\n" }
        if !graph.edges.isEmpty { out += "\n" }
        for (i, edge) in graph.edges.enumerated() {
            var attributes: String
            if edge.how == .declared {
                attributes = " [style=dashed, label=\"declared\", fontsize=9, fontcolor=\"#64748b\"]"
            } else if graph.node(edge.to)?.isCheck == true {
                // Faint: a check only asserts on what it reads; the data flows on along the dark edges.
                attributes = " [color=\"#cbd5e1\"]"
            } else {
                attributes = ""
            }
            if links != nil {
                attributes = attributes.isEmpty ? " [id=\"e\(i)\"]" : String(attributes.dropLast()) + ", id=\"e\(i)\"]"
            }
            out += "  \(quote(edge.from)) -> \(quote(edge.to))\(attributes);\n"
        }
        return out + "}\n"
    }

    private static func statement(_ node: LineageNode, inCluster resource: String?, extra: String) -> String {
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
        return "\(quote(node.id)) [label=\(quote(label)), \(look)\(extra)];"
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
