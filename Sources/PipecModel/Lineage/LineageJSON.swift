import PipecDiagnostics

/// The JSON form of a `LineageGraph`: `{"pipeline", "nodes": [...], "edges": [...]}` with keys in a fixed order
/// (via `JSONValue`), so the output diffs cleanly and tools can rely on its shape. Every node has every key; absent
/// values are `null` rather than missing, for the same reason.
public enum LineageJSON {
    public static func value(_ graph: LineageGraph) -> JSONValue {
        .object([
            ("pipeline", .string(graph.pipeline)),
            ("nodes", .array(graph.nodes.map(node))),
            ("edges", .array(graph.edges.map { e in
                .object([("from", .string(e.from)), ("to", .string(e.to)), ("how", .string(e.how.rawValue))])
            })),
        ])
    }

    /// Two-space indented text.
    public static func render(_ graph: LineageGraph) -> String {
        value(graph).serialized() + "\n"
    }

    private static func node(_ n: LineageNode) -> JSONValue {
        .object([
            ("id", .string(n.id)),
            ("kind", .string(n.kind.rawValue)),
            ("label", .string(n.label)),
            ("resource", n.resource.map(JSONValue.string) ?? .null),
            ("resource_kind", n.resourceKind.map { .string($0.rawValue) } ?? .null),
            ("task_kind", n.taskKind.map { .string($0.rawValue) } ?? .null),
            ("table_kind", n.tableKind.map { .string($0.rawValue) } ?? .null),
        ])
    }
}
