/// Prints a `LineageGraph` as a Mermaid flowchart (`flowchart LR`), which GitHub and most Markdown viewers draw.
///
/// Shapes say what a node is: tables are rectangles, external tables cylinders, assets stadiums, tasks rounded
/// boxes (with their kind in brackets on a second line), checks in their own colour. Derived edges are solid,
/// declared ones dotted, edges into checks faint. Node ids are generated
/// (`tbl_`, `ext_`, `task_` + the name with every other character replaced by `_`; `asset_N` for assets, whose ids
/// are long templates) because Mermaid ids cannot hold `.`, `:` or `{`, and a bare `end` would close the chart.
public enum LineageMermaid {
    public static func render(_ graph: LineageGraph) -> String {
        let ids = MermaidIDs(graph.nodes)
        var out = "flowchart LR\n"
        for node in graph.nodes {
            out += "  \(ids[node.id])\(shape(node))\n"
        }
        for edge in graph.edges {
            let arrow = edge.how == .declared ? " -. declared .-> " : " --> "
            out += "  \(ids[edge.from])\(arrow)\(ids[edge.to])\n"
        }
        // Colours per class, emitted only for classes present so a small graph prints a small chart.
        for style in NodeStyle.allCases {
            let members = graph.nodes.filter { NodeStyle($0) == style }.map { ids[$0.id] }
            guard !members.isEmpty else { continue }
            out += "  classDef \(style.rawValue) \(style.css)\n"
            out += "  class \(members.joined(separator: ",")) \(style.rawValue)\n"
        }
        // Edges into checks are drawn faint: a check only asserts on what it reads, data flows on elsewhere.
        let faint = graph.edges.indices.filter { graph.node(graph.edges[$0].to)?.isCheck == true }
        if !faint.isEmpty {
            out += "  linkStyle \(faint.map(String.init).joined(separator: ",")) stroke:#cbd5e1\n"
        }
        return out
    }

    private static func shape(_ node: LineageNode) -> String {
        var label = escape(node.label)
        if let detail = node.detail { label += "<br/>(" + escape(detail) + ")" }
        switch node.kind {
        case .table: return "[\"\(label)\"]"
        case .externalTable: return "[(\"\(label)\")]"
        case .asset: return "([\"\(label)\"])"
        case .task: return "(\"\(label)\")"
        }
    }

    /// Mermaid classes: one per node kind, and checks apart from tasks that move data.
    private enum NodeStyle: String, CaseIterable {
        case tableNode, externalNode, assetNode, taskNode, checkNode

        init(_ node: LineageNode) {
            switch node.kind {
            case .table: self = .tableNode
            case .externalTable: self = .externalNode
            case .asset: self = .assetNode
            case .task: self = node.isCheck ? .checkNode : .taskNode
            }
        }

        var css: String {
            switch self {
            case .tableNode: return "fill:#dbeafe,stroke:#1d4ed8,color:#1e3a8a"
            case .externalNode: return "fill:#f1f5f9,stroke:#475569,color:#0f172a"
            case .assetNode: return "fill:#fef3c7,stroke:#b45309,color:#78350f"
            case .taskNode: return "fill:#dcfce7,stroke:#15803d,color:#14532d"
            case .checkNode: return "fill:#ede9fe,stroke:#6d28d9,color:#4c1d95"
            }
        }
    }

    /// Text inside a quoted Mermaid label: quotes and the characters Mermaid or its HTML output would interpret
    /// become entity codes (`#quot;`, `#35;` ...), line breaks become spaces.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "&": out += "#amp;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "`": out += "#96;"
            case "\n", "\r", "\r\n", "\t": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}

/// Mermaid node ids for a graph's nodes: readable where the name allows, unique always (a repeat gets `_2`, `_3`).
struct MermaidIDs {
    private var ids: [String: String] = [:]

    init(_ nodes: [LineageNode]) {
        var used = Set<String>()
        var assets = 0
        for node in nodes {
            let base: String
            switch node.kind {
            case .table: base = "tbl_" + Self.sanitize(node.id)
            case .externalTable: base = "ext_" + Self.sanitize(node.id)
            case .task: base = "task_" + Self.sanitize(node.id)
            case .asset:
                assets += 1
                base = "asset_\(assets)"
            }
            var id = base, n = 1
            while !used.insert(id).inserted {
                n += 1
                id = "\(base)_\(n)"
            }
            ids[node.id] = id
        }
    }

    subscript(id: String) -> String { ids[id] ?? Self.sanitize(id) }

    private static func sanitize(_ name: String) -> String {
        String(name.unicodeScalars.map { s -> Character in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_") ? Character(s) : "_"
        })
    }
}
