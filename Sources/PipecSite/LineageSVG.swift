import PipecModel

/// The lineage graph drawn as SVG: `LineageDOT`'s text laid out by Graphviz (`pipec lineage --format svg`, and the
/// site's lineage page, where `links` makes every node a link and gives nodes and edges ids for the page's script).
public enum LineageSVG {
    public static func render(_ graph: LineageGraph, links: ((LineageNode) -> String)? = nil) throws(Graphviz.Failure) -> String {
        try Graphviz.svg(dot: LineageDOT.render(graph, links: links))
    }

    /// The `<svg>` element alone, for placing inside an HTML page: Graphviz's XML declaration, doctype and leading
    /// comments are dropped.
    static func inline(_ svg: String) -> String {
        guard let start = svg.range(of: "<svg") else { return svg }
        return String(svg[start.lowerBound...])
    }
}
