import Foundation

extension StateLocation {
    /// The store, or nil when it is a SQLite file that does not exist yet (nothing has run): reading must not
    /// create it.
    public func openIfPresent() throws -> StateStore? {
        if case .sqlite(let path) = self, !FileManager.default.fileExists(atPath: path) { return nil }
        return try open()
    }

    /// How the location is shown: the path, or the URL without its password.
    public var display: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let conninfo):
            guard var url = URLComponents(string: conninfo) else { return "postgres" }
            if url.password != nil { url.password = "***" }
            return url.string ?? "postgres"
        }
    }
}
