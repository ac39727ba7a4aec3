import Foundation

/// Where the package and the built `pipec` are, for tests that read fixtures and run the real binary.
public enum PackagePaths {
    /// The package root, found by walking up from this file to `Package.swift`.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The built `pipec`, next to the test bundle (or `PIPEC_BIN`).
    public static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["PIPEC_BIN"] { return URL(fileURLWithPath: override) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("pipec")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/pipec")
    }()
}
