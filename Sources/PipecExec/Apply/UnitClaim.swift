import Foundation
import PipecIO

/// Keeps two processes from running the same unit of the same interval at once (`pipec run` on Airflow's
/// workers, where the per-pipeline lock of `pipec apply` would serialise the whole DAG). On a PostgreSQL state store
/// it is a session advisory lock on the store's connection, keyed by pipeline, unit and logical date: held while
/// the process lives, dropped by the server when its connection ends, however the process ends, and shared by
/// every machine using the store. On the SQLite default (one machine) it is an `flock` beside the store, which the
/// kernel drops the same way.
public final class UnitClaim {
    private var descriptor: Int32 = -1
    private let shared: PostgresStateConnection?
    private let key: String

    /// Takes the claim, waiting (and saying so through `waiting`) while another process holds it.
    public init(state: StateStore, location: StateLocation, pipeline: String, unit: String, logicalDate: String,
                waiting: (String) -> Void) throws {
        key = "pipec unit \(pipeline) \(unit) \(logicalDate)"
        shared = state.db as? PostgresStateConnection
        let message = "another process is running \(unit) for \(logicalDate); waiting for it to end"
        if let shared {
            var told = false
            while try !shared.tryLock(key) {
                if !told { waiting(message) }
                told = true
                Thread.sleep(forTimeInterval: 0.2)
            }
            return
        }
        guard case .sqlite(let path) = location else { return }
        let directory = (path as NSString).deletingLastPathComponent + "/locks/claims"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = (directory as NSString).appendingPathComponent("\(pipeline)-\(SHA256.hex(key).prefix(16)).lock")
        descriptor = open(file, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw EngineError("cannot open the claim file \(file): \(String(cString: strerror(errno)))") }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            waiting(message)
            guard flock(descriptor, LOCK_EX) == 0 else {
                close(descriptor)
                throw EngineError("cannot lock \(file): \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit {
        if let shared { try? shared.unlock(key) }
        if descriptor >= 0 {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }
}
