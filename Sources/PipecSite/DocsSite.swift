import Foundation
import PipecModel

/// `pipec docs`: writes a static site for one or more pipelines into a folder. Plain HTML, one stylesheet, one
/// script and a search index; every link is relative, so the folder opens from the file system or any web server
/// and nothing is fetched from the network.
public enum DocsSite {
    /// What was written, for the command's last line and the benchmark.
    public struct Summary: Sendable {
        public var files: Int
        public var bytes: Int
    }

    /// Graphs with more nodes than this are listed, not drawn (see `PipelinePages.drawLimit`).
    public static let defaultDrawLimit = 1500

    public static func write(_ sites: [PipelineSite], to directory: String, drawLimit: Int = defaultDrawLimit) throws -> Summary {
        var summary = Summary(files: 0, bytes: 0)
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        var made = Set<String>()
        func emit(_ path: String, _ content: String) throws {
            let url = root.appendingPathComponent(path)
            let folder = url.deletingLastPathComponent().path
            if made.insert(folder).inserted {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            let bytes = try writeFile(url.path, content)
            summary.files += 1
            summary.bytes += bytes
        }

        var folders = Set<String>()
        var pages: [PipelinePages] = []
        for site in sites {
            var folder = SitePaths.slug(site.pipeline.name.value)
            var n = 2
            while !folders.insert(folder).inserted {
                folder = SitePaths.slug(site.pipeline.name.value) + "-\(n)"
                n += 1
            }
            pages.append(PipelinePages(site: site, folder: folder, drawLimit: drawLimit))
        }

        try emit("static/style.css", SiteAssets.css)
        try emit("static/site.js", SiteAssets.js)
        var entries: [String] = []
        for p in pages {
            try p.write(emit)
            entries += p.searchEntries().map { "[" + $0.map(HTML.jsonString).joined(separator: ",") + "]" }
        }
        try emit("static/search-index.js", "window.PIPEC_INDEX = [\n" + entries.joined(separator: ",\n") + "\n];\n")
        try emit("index.html", home(pages))
        return summary
    }

    public struct WriteFailure: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `content` to `path` with plain stdio: Foundation's `Data.write` syncs every file to disk, which
    /// made the 10,000-table site spend most of its time waiting on the file system.
    private static func writeFile(_ path: String, _ content: String) throws -> Int {
        guard let file = fopen(path, "wb") else { throw WriteFailure(path: path, reason: String(cString: strerror(errno))) }
        var text = content
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) }
        let expected = text.utf8.count
        let failed = ferror(file) != 0
        guard fclose(file) == 0, !failed, written == expected else {
            throw WriteFailure(path: path, reason: String(cString: strerror(errno)))
        }
        return written
    }

    /// The site's front page: every pipeline with its schedule and counts.
    private static func home(_ pages: [PipelinePages]) -> String {
        var page = Page(path: "index.html", title: "Pipelines", redactor: nil)
        page.heading(1, pages.count == 1 ? "Pipeline" : "Pipelines")
        page.table(["pipeline", "description", "schedule", "cron", "tables", "tasks", "resources", "runs recorded"], pages.map { p in
            let r = p.site.redactor
            return [page.anchor(p.paths.overview, p.pipeline.name.value), page.text(r.redact(p.pipeline.description ?? "")),
                    page.text(ScheduleWords.describe(p.pipeline.schedule)), page.text(p.pipeline.schedule?.cronText?.value ?? ""),
                    String(p.pipeline.tables.count), String(p.pipeline.tasks.count), String(p.pipeline.resources.count),
                    p.site.history.map { String($0.runs.count) } ?? "no state store"]
        }, id: "pipelines")
        let nav = pages.flatMap { [($0.paths.overview, $0.pipeline.name.value)] }
        return page.document(nav: nav)
    }
}
