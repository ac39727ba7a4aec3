import Foundation
import PipecTestSupport
import Testing

/// The invariants of ARCHITECTURE.md that code can check, checked over the source tree itself.
@Suite struct ArchitectureTests {
    /// Which module may import each C module (and swift-crypto): the one wrapper that keeps it behind safe types.
    static let wrappers: [String: String] = [
        "CYaml": "PipecSyntax", "CCurl": "PipecHTTP", "CCurlShim": "PipecHTTP", "CLibPQ": "PipecPostgres",
        "CSQLite": "PipecSQLite", "CZlib": "PipecIO", "Crypto": "PipecIO", "CGraphviz": "PipecSite",
    ]

    static let root = PackagePaths.root

    /// C modules are the targets under Sources/ that ship a module map (system libraries and shims).
    static func cModules() throws -> [String] {
        let sources = root.appendingPathComponent("Sources")
        return try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { name in
            let dir = sources.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: dir.appendingPathComponent("module.modulemap").path)
                || FileManager.default.fileExists(atPath: dir.appendingPathComponent("include").path)
        }.sorted()
    }

    /// Every Swift file under `folder` with its path relative to the package root.
    static func swiftFiles(under folder: String) -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var files: [(String, String)] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let path = "\(folder)/\(relative)"
            if let text = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) { files.append((path, text)) }
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The module an import line names, for `import X`, `internal import X`, `@_implementationOnly import X`.
    static func importedModule(_ line: Substring) -> String? {
        let words = line.split(separator: " ")
        guard let at = words.firstIndex(of: "import"), at + 1 < words.count else { return nil }
        guard words[..<at].allSatisfy({ ["internal", "public", "package", "private", "fileprivate", "@_implementationOnly", "@preconcurrency"].contains(String($0)) })
        else { return nil }
        return String(words[at + 1])
    }

    @Test func everyCModuleHasOneWrapper() throws {
        let modules = try Self.cModules()
        try #require(!modules.isEmpty)
        for module in modules {
            #expect(Self.wrappers[module] != nil, "C module \(module) has no wrapper module named in ArchitectureTests.wrappers")
        }
    }

    /// ARCHITECTURE.md: "Only the wrapper modules import C modules" — the benchmark and the tests included.
    @Test func onlyWrappersImportCModules() throws {
        var files = Self.swiftFiles(under: "Sources") + Self.swiftFiles(under: "bench") + Self.swiftFiles(under: "Tests")
        files = files.filter { !$0.path.hasPrefix("Tests/ArchitectureTests/") }
        try #require(files.count > 100)
        var checked = 0
        for file in files {
            for line in file.text.split(separator: "\n") where line.contains("import ") {
                guard let module = Self.importedModule(line.drop { $0 == " " }), let owner = Self.wrappers[module] else { continue }
                checked += 1
                #expect(file.path.hasPrefix("Sources/\(owner)/"), "\(file.path) imports \(module); only \(owner) may")
            }
        }
        #expect(checked >= Self.wrappers.count, "found \(checked) imports of C modules; the scan looks broken")
    }

    /// ARCHITECTURE.md's code map names every module and every folder inside one.
    @Test func codeMapCoversEveryFolder() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("ARCHITECTURE.md"), encoding: .utf8)
        let sources = Self.root.appendingPathComponent("Sources")
        let cModules = Set(try Self.cModules())
        for module in try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted() where !cModules.contains(module) {
            guard module != "pipec" else { continue }
            #expect(text.contains("Sources/\(module)"), "ARCHITECTURE.md does not name Sources/\(module)")
            let folders = (try? FileManager.default.contentsOfDirectory(atPath: sources.appendingPathComponent(module).path)) ?? []
            for folder in folders.sorted() {
                var isDirectory: ObjCBool = false
                let path = sources.appendingPathComponent(module).appendingPathComponent(folder).path
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
                #expect(text.contains("Sources/\(module)/\(folder)") || text.contains("`\(folder)/"),
                        "ARCHITECTURE.md's code map does not name Sources/\(module)/\(folder)")
            }
        }
    }
}
