/// What a lineage node stands for. The raw values are the names JSON output uses (snake_case, as in specs).
public enum LineageNodeKind: String, Sendable, Hashable, CaseIterable {
    /// A table this pipeline creates: built by a `build:`/view SQL, loaded by a task, or plainly declared.
    case table
    /// A table produced outside this pipeline (`external: true`), or a name a `lineage:` entry mentions that the
    /// spec does not declare: both are sources pipec reads but never creates.
    case externalTable = "external_table"
    /// Something outside any database: an HTTP endpoint, an object key (template) in s3 or a folder, or any
    /// `resource:path` a `lineage:` entry names.
    case asset
    /// A task that moves or reads data (load, export, sql, sensor, check). Table builds are not tasks here: a
    /// table's own build is the table node itself, so the graph stays table-level.
    case task
}

/// One node of a `LineageGraph`.
public struct LineageNode: Sendable, Hashable {
    /// Unique across kinds: a table's name, a task's name, or an asset's `resource:path` (tables and tasks cannot
    /// share a name, and asset ids hold a `:`, which names cannot).
    public var id: String
    public var kind: LineageNodeKind
    /// The text renderers show. For assets it is the id, so a picture names the resource too.
    public var label: String
    /// The resource holding the table or asset, or the one a task runs on (`on:` of sql tasks, the resource a
    /// sensor watches); nil when there is none or when it is not a declared resource (e.g. `s3://bucket/key`).
    public var resource: String?
    /// The kind of `resource`, so renderers can say what a cluster of nodes lives in without the pipeline.
    public var resourceKind: ResourceKind?
    /// The task's kind, for task nodes: renderers print it, and draw checks (which only read) apart from tasks
    /// that move data.
    public var taskKind: TaskKind?
    /// The table's kind, for table nodes: `view` and `materialized_view` are worth showing.
    public var tableKind: TableKind?

    public init(id: String, kind: LineageNodeKind, label: String, resource: String? = nil, resourceKind: ResourceKind? = nil,
                taskKind: TaskKind? = nil, tableKind: TableKind? = nil) {
        self.id = id
        self.kind = kind
        self.label = label
        self.resource = resource
        self.resourceKind = resourceKind
        self.taskKind = taskKind
        self.tableKind = tableKind
    }

    /// A short qualifier renderers print under the label: a task's kind, or `view` / `materialized view`.
    public var detail: String? {
        if let taskKind { return taskKind.rawValue }
        switch tableKind {
        case .view: return "view"
        case .materializedView: return "materialized view"
        case .table, nil: return nil
        }
    }

    /// Whether the node is a check task: it reads data to assert on it and writes nothing.
    public var isCheck: Bool { taskKind == .check }
}
