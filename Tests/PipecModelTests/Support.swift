import Foundation
import PipecDiagnostics
@testable import PipecModel

enum Fixtures {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static func specs() -> [URL] {
        let dir = packageRoot.appendingPathComponent("specs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { dir.appendingPathComponent($0) }
    }

    /// Loads spec text as if it were the file at `path` inside the package (so templates/ resolve).
    static func load(_ text: String, path: String = "specs/test.yaml") -> LoadedSpec {
        SpecLoader.load(text: text, path: path, projectRoot: packageRoot.path, sources: SourceFiles())
    }

    static func codes(_ loaded: LoadedSpec) -> [String] { loaded.diagnostics.sorted().map(\.code) }
}
