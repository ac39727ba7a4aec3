import Foundation
import PipecPostgres

/// Where the state store lives: `--state`, else `PIPEC_STATE`, else `sqlite:.pipec/state.sqlite` beside the
/// project (the folder holding templates/).
public enum StateLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(conninfo: String)

    public static func parse(_ text: String?, projectRoot: String) throws -> StateLocation {
        guard let text, !text.isEmpty else {
            return .sqlite(path: (projectRoot as NSString).appendingPathComponent(".pipec/state.sqlite"))
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") { return .postgres(conninfo: text) }
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            return .sqlite(path: path.hasPrefix("/") ? path : (projectRoot as NSString).appendingPathComponent(path))
        }
        throw EngineError("unknown state store '\(text)': use sqlite:PATH or postgres://...")
    }

    public func open() throws -> StateStore {
        if case .sqlite(let path) = self {
            // A local file is never an unreachable service: a corrupt or unwritable one fails the command (exit 1).
            do {
                return try StateStore(SQLiteStateConnection(path: path))
            } catch let e as EngineError {
                throw EngineError("cannot open the state store \(path): \(e.message)")
            } catch {
                throw EngineError("cannot open the state store \(path): \(error)")
            }
        }
        do {
            switch self {
            case .sqlite(let path): return try StateStore(SQLiteStateConnection(path: path))
            case .postgres(let conninfo): return try StateStore(PostgresStateConnection(conninfo: conninfo))
            }
        } catch let e as EngineError {
            throw e
        } catch let e as PGError where e.kind != .connection {
            // Reached, but a statement failed (creating its tables): not a service that is down.
            throw EngineError("cannot open the state store: \(e)")
        } catch {
            throw EngineError("cannot open the state store: \(error)", unreachable: true)
        }
    }
}
