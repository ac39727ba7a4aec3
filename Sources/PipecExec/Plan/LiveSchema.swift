import Foundation
import PipecModel
import PipecPlan
import PipecTemplate

/// An expected object next to what its database has.
public struct ObjectStatus: Sendable, Hashable {
    public var object: ExpectedObject
    public var drift: ObjectDrift

    public init(object: ExpectedObject, drift: ObjectDrift) {
        self.object = object
        self.drift = drift
    }
}

/// Reads the live shape of the objects a plan expects, through each engine's `describeTable`.
public enum LiveSchema {
    /// `readOnly`: a SQLite database file that does not exist yet is left uncreated (everything on it is
    /// missing), so `pipec plan` on a fresh project writes nothing. An unreachable database is an `EngineError`
    /// with `unreachable` set.
    public static func inspect(_ objects: [ExpectedObject], resources: Resources, readOnly: Bool) throws -> [ObjectStatus] {
        var absent = Set<String>()
        var out: [ObjectStatus] = []
        for object in objects {
            if absent.contains(object.resource) {
                out.append(ObjectStatus(object: object, drift: .missing))
                continue
            }
            if readOnly, try resources.sqliteFileMissing(object.resource) {
                absent.insert(object.resource)
                out.append(ObjectStatus(object: object, drift: .missing))
                continue
            }
            let live: [LiveColumn]?
            do {
                let engine = try resources.engine(object.resource)
                live = try describe(object, engine)
            } catch var e as EngineError {
                e.message = "cannot read the live tables of resource '\(object.resource)': \(e.message)"
                throw e
            }
            out.append(ObjectStatus(object: object, drift: SchemaDrift.compare(object, live: live)))
        }
        return out
    }

    private static func describe(_ object: ExpectedObject, _ engine: any SQLEngine) throws -> [LiveColumn]? {
        if let columns = try engine.describeTable(object.sqlName) {
            return columns.map { LiveColumn(name: $0.name, type: $0.type) }
        }
        // information_schema.columns does not list PostgreSQL materialized views; pg_matviews does.
        guard object.kind == .materializedView, object.dialect == .postgres else { return nil }
        let parts = object.name.split(separator: ".", maxSplits: 1).map(String.init)
        let (schema, name) = parts.count == 2 ? (parts[0], parts[1]) : ("public", parts[0])
        let literal = { (s: String) in (try? SQLQuoting.literal(.string(s), dialect: .postgres)) ?? "''" }
        let found = try engine.query("SELECT count(*) FROM pg_matviews WHERE schemaname = \(literal(schema)) AND matviewname = \(literal(name))",
                                     cancel: CancellationFlag())
        return (found.scalar ?? 0) > 0 ? [] : nil
    }
}

extension Resources {
    /// Whether `name` is a SQLite resource whose database file does not exist yet (the path as `engine(_:)`
    /// opens it: the `path` setting, by default `.pipec/<name>.sqlite`, under the project root).
    func sqliteFileMissing(_ name: String) throws -> Bool {
        guard let resource = pipeline.resource(name), resource.kind == .sqlite else { return false }
        let path = projectPath(try setting(resource, "path") ?? ".pipec/\(name).sqlite")
        return !FileManager.default.fileExists(atPath: path)
    }
}
