import Foundation

/// A `file` resource: objects are files under a root folder. Writes go to a temporary file renamed into place on
/// `finish()`, so a reader never sees half an object and a killed export leaves nothing behind.
public struct LocalFileStore: ObjectStore {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    func path(_ key: String) throws -> String {
        let parts = key.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty, !parts.contains(".."), !key.hasPrefix("/") else {
            throw ObjectStoreError.invalidKey(key, reason: "keys are relative paths without '..'")
        }
        return (root as NSString).appendingPathComponent(parts.joined(separator: "/"))
    }

    public func reader(for key: String) throws -> any ByteSource {
        let p = try path(key)
        guard let handle = FileHandle(forReadingAtPath: p) else { throw ObjectStoreError.notFound(describe(key)) }
        return FileSource(handle: handle)
    }

    public func writer(for key: String, contentType: String) throws -> any ByteSink {
        let p = try path(key)
        let dir = (p as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw ObjectStoreError.io("cannot create \(dir): \(error.localizedDescription)")
        }
        let temporary = dir + "/.\((p as NSString).lastPathComponent).pipec-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw ObjectStoreError.io("cannot write \(temporary)")
        }
        return FileSink(handle: handle, temporary: temporary, destination: p)
    }

    public func exists(_ key: String) throws -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: try path(key), isDirectory: &isDir) && !isDir.boolValue
    }

    public func list(prefix: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var keys: [String] = []
        while let entry = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            let full = (root as NSString).appendingPathComponent(entry)
            let name = (entry as NSString).lastPathComponent
            if name.hasPrefix("."), name.contains(".pipec-") { continue }   // in-flight writes
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue, entry.hasPrefix(prefix) {
                keys.append(entry)
            }
        }
        return keys.sorted()
    }

    public func delete(_ key: String) throws {
        let p = try path(key)
        if FileManager.default.fileExists(atPath: p) {
            do { try FileManager.default.removeItem(atPath: p) } catch { throw ObjectStoreError.io("cannot delete \(p): \(error.localizedDescription)") }
        }
    }

    public func describe(_ key: String) -> String { (root as NSString).appendingPathComponent(key) }
}

/// Reads a file in chunks.
public struct FileSource: ByteSource {
    let handle: FileHandle

    public init(handle: FileHandle) { self.handle = handle }

    public init(path: String) throws {
        guard let h = FileHandle(forReadingAtPath: path) else { throw ObjectStoreError.notFound(path) }
        handle = h
    }

    public mutating func read(maxCount: Int) throws -> [UInt8] {
        do {
            guard let data = try handle.read(upToCount: maxCount) else { return [] }
            return [UInt8](data)
        } catch {
            throw ObjectStoreError.io("read failed: \(error.localizedDescription)")
        }
    }
}

/// Writes to a temporary file and renames it over the destination when finished.
struct FileSink: ByteSink {
    let handle: FileHandle
    let temporary: String
    let destination: String

    mutating func write(_ bytes: [UInt8]) throws {
        do { try handle.write(contentsOf: bytes) } catch { throw ObjectStoreError.io("write to \(destination) failed: \(error.localizedDescription)") }
    }

    mutating func finish() throws {
        do {
            try handle.synchronize()
            try handle.close()
            if rename(temporary, destination) != 0 { throw ObjectStoreError.io("cannot move \(temporary) to \(destination)") }
        } catch let e as ObjectStoreError {
            throw e
        } catch {
            throw ObjectStoreError.io("finishing \(destination) failed: \(error.localizedDescription)")
        }
    }

    mutating func abort() {
        try? handle.close()
        unlink(temporary)
    }
}
