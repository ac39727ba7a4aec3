import Foundation

/// Keeps two `pipec apply` processes off the same pipeline: an exclusive `flock` on a file beside the state
/// store. The kernel drops it when the process ends, however it ends, so a crash never leaves the pipeline stuck.
public final class PipelineLock {
    private let descriptor: Int32
    public let path: String

    /// Takes the lock, waiting (and saying so through `waiting`) while another process holds it.
    public init(directory: String, pipeline: String, waiting: (String) -> Void) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = (directory as NSString).appendingPathComponent("\(pipeline).lock")
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw EngineError("cannot open the lock file \(path): \(String(cString: strerror(errno)))") }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            waiting("another pipec apply of \(pipeline) is running (lock \(path)); waiting for it to finish")
            guard flock(descriptor, LOCK_EX) == 0 else {
                close(descriptor)
                throw EngineError("cannot lock \(path): \(String(cString: strerror(errno)))")
            }
        }
        let pid = "\(ProcessInfo.processInfo.processIdentifier)\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
