import PipecDiagnostics
import PipecSchedule

/// One entry of a `for_each` expansion: its key and values, which templates see as `item`.
public struct ForEachItem: Sendable, Hashable {
    public var key: String
    public var values: [(String, ParamValue)]
    /// 0-based position in the for_each, for `sequential` groups.
    public var index: Int

    public static func == (a: ForEachItem, b: ForEachItem) -> Bool {
        a.key == b.key && a.index == b.index && a.values.map(\.0) == b.values.map(\.0) && a.values.map(\.1) == b.values.map(\.1)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(index)
    }
}

/// A value from `params:` or `for_each`, kept as its YAML shape (templates get typed values from it).
public indirect enum ParamValue: Sendable, Hashable {
    case null
    case scalar(String, quoted: Bool)
    case list([ParamValue])
    case mapping([ParamEntry])
}

public struct ParamEntry: Sendable, Hashable {
    public var key: String
    public var value: ParamValue
    /// Where the value is written (nil for nested entries and `--param`); not part of equality.
    public var location: SourceLocation? = nil

    public static func == (a: ParamEntry, b: ParamEntry) -> Bool { a.key == b.key && a.value == b.value }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(value)
    }
}

public struct Group: Sendable, Hashable {
    public var name: Located<String>
    public var description: String?
    public var after: [Located<String>]
    public var sequential: Bool
    /// The key the group was expanded from when it has a for_each (e.g. `report_{item}`), else nil.
    public var family: String?
    public var item: ForEachItem?
}

public struct ScheduleSpec: Sendable, Hashable {
    public var schedule: Schedule
    public var cronText: Located<String>?
    public var maxActiveRuns: Int
    public var location: SourceLocation
}

public struct LineageEntry: Sendable, Hashable {
    public var from: Located<String>
    public var to: Located<String>
    public var description: String?
}

public struct Alerts: Sendable, Hashable {
    public var onFailure: [Located<String>] = []
    public var onRetry: [Located<String>] = []
    public var onSuccess: [Located<String>] = []

    public var all: [Located<String>] { onFailure + onRetry + onSuccess }
}

public struct Catalog: Sendable, Hashable {
    public var resource: Located<String>
    public var database: String
}

public struct Pool: Sendable, Hashable {
    public var name: Located<String>
    public var slots: Int
}

/// A checked pipeline spec: the typed model every later stage (plan, diff, apply) works from.
public struct Pipeline: Sendable {
    /// The spec file as given on the command line, and the folder holding `templates/` (the project root).
    public var file: String
    public var projectRoot: String
    public var version: Int
    public var name: Located<String>
    public var description: String?
    public var owner: String?
    public var tags: [String]
    public var schedule: ScheduleSpec?
    public var defaults: RunPolicy
    public var pools: [Pool]
    public var params: [ParamEntry]
    public var alerts: Alerts
    public var resources: [Resource]
    public var tables: [Table]
    public var tasks: [Task]
    public var groups: [Group]
    public var lineage: [LineageEntry]
    public var catalog: Catalog?

    /// Name -> position indexes, so lookups stay O(1) on 10,000-table specs.
    private var index = Index()

    struct Index: Sendable {
        var resources: [String: Int] = [:]
        var tables: [String: Int] = [:]
        var tasks: [String: Int] = [:]
        var groups: [String: Int] = [:]
    }

    public init(file: String, projectRoot: String, version: Int, name: Located<String>, description: String?, owner: String?,
                tags: [String], schedule: ScheduleSpec?, defaults: RunPolicy, pools: [Pool], params: [ParamEntry], alerts: Alerts,
                resources: [Resource], tables: [Table], tasks: [Task], groups: [Group], lineage: [LineageEntry], catalog: Catalog?) {
        self.file = file
        self.projectRoot = projectRoot
        self.version = version
        self.name = name
        self.description = description
        self.owner = owner
        self.tags = tags
        self.schedule = schedule
        self.defaults = defaults
        self.pools = pools
        self.params = params
        self.alerts = alerts
        self.resources = resources
        self.tables = tables
        self.tasks = tasks
        self.groups = groups
        self.lineage = lineage
        self.catalog = catalog
        reindex()
    }

    /// Rebuilds the name indexes; call after changing `resources`, `tables`, `tasks` or `groups`.
    public mutating func reindex() {
        index = Index()
        // The first declaration wins, as duplicates are diagnosed and the first is the one kept. Names are read by
        // index, in place: enumerating would copy every table.
        func positions(_ count: Int, _ name: (Int) -> String) -> [String: Int] {
            var out: [String: Int] = [:]
            out.reserveCapacity(count)
            for i in (0..<count).reversed() { out[name(i)] = i }   // backwards, so the first declaration is written last
            return out
        }
        index.resources = positions(resources.count) { resources[$0].name.value }
        index.tables = positions(tables.count) { tables[$0].name.value }
        index.tasks = positions(tasks.count) { tasks[$0].name.value }
        index.groups = positions(groups.count) { groups[$0].name.value }
    }

    public func hasTable(_ name: String) -> Bool { index.tables[name] != nil }
    public func hasTask(_ name: String) -> Bool { index.tasks[name] != nil }

    /// Positions in `tables` and `tasks`, for reading one field of a unit in place rather than copying it whole.
    func tableIndex(_ name: String) -> Int? { index.tables[name] }
    func taskIndex(_ name: String) -> Int? { index.tasks[name] }
    func resourceKind(_ name: String) -> ResourceKind? { index.resources[name].map { resources[$0].kind } }

    public func resource(_ name: String) -> Resource? { index.resources[name].map { resources[$0] } }
    public func table(_ name: String) -> Table? { index.tables[name].map { tables[$0] } }
    public func task(_ name: String) -> Task? { index.tasks[name].map { tasks[$0] } }
    public func group(_ name: String) -> Group? { index.groups[name].map { groups[$0] } }
}
