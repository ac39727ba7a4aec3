/// Keys -> bytes: what `s3` and `file` resources have in common, so loads, exports and sensors work the same way
/// on both.
public protocol ObjectStore: Sendable {
    /// A stream of the object's bytes; `ObjectStoreError.notFound` when there is none.
    func reader(for key: String) throws -> any ByteSource
    /// A sink that writes the object; the object appears (atomically where the store allows) on `finish()`.
    func writer(for key: String, contentType: String) throws -> any ByteSink
    func exists(_ key: String) throws -> Bool
    /// Keys under `prefix`, in lexicographic order.
    func list(prefix: String) throws -> [String]
    func delete(_ key: String) throws
    /// Where a key lives, for messages and lineage (`s3://bucket/key`, `/path/to/root/key`).
    func describe(_ key: String) -> String
}

public enum ObjectStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(String)
    case invalidKey(String, reason: String)
    case io(String)
    /// The store's server could not be reached.
    case unreachable(String)

    public var description: String {
        switch self {
        case .notFound(let k): return "no object at \(k)"
        case .invalidKey(let k, let r): return "invalid key '\(k)': \(r)"
        case .io(let m), .unreachable(let m): return m
        }
    }
}
