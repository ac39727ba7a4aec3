import Foundation
import PipecDiagnostics
import PipecModel
import PipecTestSupport
import Testing

/// `pipec docs`: the site for every spec and the quickstart (with its history after an apply), opened in headless
/// Chromium and checked on the DOM it renders and on a screenshot.
@Suite struct DocsSiteTests {
    static let specs = ["specs/appmetrica.yaml", "specs/athena_partitions.yaml", "specs/cratedb_export.yaml", "specs/medallion.yaml",
                        "specs/star_schema.yaml", "examples/quickstart/quickstart.yaml"]

    /// Every spec in specs/ (so a new one cannot be forgotten) and the quickstart.
    @Test func specListIsComplete() throws {
        let found = try FileManager.default.contentsOfDirectory(atPath: CLIHarness.packageRoot.appendingPathComponent("specs").path)
            .filter { $0.hasSuffix(".yaml") }.map { "specs/" + $0 }
        #expect(Set(found).isSubset(of: Set(Self.specs)), "add the new spec to DocsSiteTests.specs")
    }

    @Test(arguments: specs) func siteForSpec(_ spec: String) throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let specURL = CLIHarness.packageRoot.appendingPathComponent(spec)
        // Every ${env:...} the spec names is set to a marker: pipec docs resolves none, so no marker may appear.
        let text = try String(contentsOf: specURL, encoding: .utf8)
        var environment: [String: String] = [:]
        for match in text.matches(of: /\$\{env:([A-Za-z0-9_]+)/) { environment[String(match.1)] = "pipec-leak-\(match.1)-7c1d" }
        let site = dir.appendingPathComponent("site")
        // A state store that does not exist: the site says so and nothing is created.
        environment["PIPEC_STATE"] = "sqlite:" + dir.appendingPathComponent("absent/state.sqlite").path
        let result = try CLIHarness.run(["docs", specURL.path, "-o", site.path], in: CLIHarness.packageRoot, environment: environment)
        try #require(result.exitCode == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("absent").path))

        let pipeline = try Self.load(specURL)
        let files = try SiteFiles(site)
        files.expectNoLeak("pipec-leak-")
        files.expectOnlyLocalResources()
        files.expectLinksResolve()

        let folder = "pipelines/" + pipeline.name.value
        for table in pipeline.tables {
            let page = try #require(files.page(containing: "<h1>", named: table.name.value, in: folder + "/tables"), "no page for \(table.name.value)")
            for column in table.columns {
                #expect(page.contains("class=\"column\">\(Self.escaped(column.name.value))</span>"), "\(table.name.value).\(column.name.value) missing")
            }
        }
        for task in pipeline.tasks {
            #expect(files.page(containing: "<h1>", named: task.name.value, in: folder + "/tasks") != nil, "no page for task \(task.name.value)")
        }

        // As a browser renders them: every table on the overview, every column on the columns page, and every
        // lineage node a link to a page that exists; no request leaves the file system.
        let overview = try HeadlessChromium.dumpDOM(site.appendingPathComponent(folder + "/index.html"))
        for table in pipeline.tables {
            #expect(overview.output.contains(">\(Self.escaped(table.name.value))</a>"), "\(table.name.value) not on the overview")
        }
        let columns = try HeadlessChromium.dumpDOM(site.appendingPathComponent(folder + "/columns.html"))
        let columnRows = columns.output.components(separatedBy: "class=\"column\">").count - 1
        #expect(columnRows == pipeline.tables.reduce(0) { $0 + $1.columns.count })
        let lineage = try HeadlessChromium.dumpDOM(site.appendingPathComponent(folder + "/lineage.html"))
        try Self.expectLineageLinks(lineage.output, pageFolder: site.appendingPathComponent(folder), spec: specURL)
        for run in [overview, columns, lineage] {
            #expect(HeadlessChromium.networkRequests(run.netLog).isEmpty, "requests: \(HeadlessChromium.networkRequests(run.netLog))")
        }
    }

    /// The lineage page's SVG has one linked node per lineage node, and each link opens a page that exists.
    static func expectLineageLinks(_ dom: String, pageFolder: URL, spec: URL) throws {
        let lineage = try CLIHarness.run(["lineage", spec.path, "--format", "json"], in: CLIHarness.packageRoot)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(lineage.stdout.utf8)) as? [String: Any])
        let nodes = try #require(json["nodes"] as? [[String: Any]])
        let svg = try #require(dom.range(of: "<svg").map { dom[$0.lowerBound...] }, "no SVG on the lineage page")
        let groups = svg.matches(of: /<g id="n(\d+)" class="node">/).count
        #expect(groups == nodes.count, "\(groups) drawn nodes, \(nodes.count) in the lineage")
        let links = svg.matches(of: /<a xlink:href="([^"]+)"/).map { String($0.1) }
        #expect(links.count == nodes.count)
        for link in links {
            let path = HTMLText.unescape(link)
            #expect(FileManager.default.fileExists(atPath: pageFolder.appendingPathComponent(path).path), "lineage links to missing \(path)")
        }
    }

    /// The quickstart after an apply: runs, tries, durations, rows and check results, quarantine counts as charts;
    /// reading the store leaves it byte-for-byte as it was.
    @Test func quickstartWithHistory() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let project = dir.appendingPathComponent("quickstart")
        try FileManager.default.copyItem(at: CLIHarness.packageRoot.appendingPathComponent("examples/quickstart"), to: project)
        try? FileManager.default.removeItem(at: project.appendingPathComponent(".pipec"))
        try? FileManager.default.removeItem(at: project.appendingPathComponent("out"))
        let spec = project.appendingPathComponent("quickstart.yaml").path
        let apply = try CLIHarness.run(["apply", spec, "--from", "2025-01-01", "--to", "2025-01-07"], in: project)
        try #require(apply.exitCode == 0, "\(apply.stdout)\n\(apply.stderr)")
        // The store's content as an independent client reads it (a dump, so that SQLite moving pages from its
        // write-ahead log into the file, which any reader's close may do, does not count as a change).
        let store = project.appendingPathComponent(".pipec/state.sqlite")
        func dump() throws -> String {
            let out = try ProcessRunner.run("/usr/bin/sqlite3", ["-readonly", store.path, ".dump"])
            try #require(out.status == 0, "\(out.stderr)")
            return out.stdout
        }
        let before = try dump()
        #expect(before.contains("INSERT INTO pipec_runs"))

        let site = dir.appendingPathComponent("site")
        let result = try CLIHarness.run(["docs", spec, "-o", site.path, "--ds", "2025-01-03"], in: project, environment: ["PIPEC_STATE": ""])
        try #require(result.exitCode == 0, "\(result.stderr)")
        #expect(try dump() == before, "pipec docs changed the state store")

        let files = try SiteFiles(site)
        files.expectLinksResolve()
        let runs = try HeadlessChromium.dumpDOM(site.appendingPathComponent("pipelines/quickstart/runs.html"))
        let runsTable = try #require(runs.output.range(of: "<table class=\"grid\" id=\"runs\">").map { runs.output[$0.lowerBound...] })
        let body = runsTable[..<(runsTable.range(of: "</table>")?.lowerBound ?? runsTable.endIndex)]
        #expect(body.components(separatedBy: "<tr>").count - 2 == 7, "seven runs in the table")
        #expect(runs.output.contains("Rows quarantined or dropped per run"))
        #expect(runs.output.matches(of: #/<rect class="bar /#).count >= 7)

        let silver = try HeadlessChromium.dumpDOM(site.appendingPathComponent("pipelines/quickstart/tables/silver.orders.html"))
        #expect(silver.output.contains("Duration per run"))
        #expect(silver.output.contains("Rows per run"))
        #expect(silver.output.contains("<table class=\"grid\" id=\"history\">"))
        // The quickstart's files hold bad rows, so the quarantine chart and the counts are there.
        #expect(silver.output.contains("status-quarantined"))
        // SQL as rendered for the ds asked for.
        #expect(silver.output.contains("2025-01-03"))
        #expect(HeadlessChromium.networkRequests(runs.netLog + silver.netLog).isEmpty)

        // The search box (given ?q=) lists tables and columns; the lineage page lights up a node's neighbours.
        let search = try HeadlessChromium.dumpDOM(site.appendingPathComponent("index.html"), query: "?q=order_id").output
        let results = try #require(search.range(of: "<ol id=\"search-results\">").map { search[$0.lowerBound...] }, "no visible results")
        #expect(results.contains("order_id<span class=\"kind\">column · quickstart · silver.orders</span>"))
        let lineage = try HeadlessChromium.dumpDOM(site.appendingPathComponent("pipelines/quickstart/lineage.html"), query: "#silver.orders").output
        #expect(lineage.contains("<div id=\"lineage\" class=\"focusing\">"))
        #expect(lineage.matches(of: /class="node lit up"/).count >= 1, "upstream of silver.orders lit")
        #expect(lineage.matches(of: /class="node lit down"/).count >= 1, "downstream of silver.orders lit")
    }

    /// Markup in names, descriptions, SQL and asset paths is shown as text; no secret, literal or from the
    /// environment, reaches any file.
    @Test func hostileTextAndSecrets() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = CLIHarness.packageRoot.appendingPathComponent("Tests/Fixtures/docs/hostile/spec.yaml")
        let site = dir.appendingPathComponent("site")
        let result = try CLIHarness.run(["docs", spec.path, "-o", site.path], in: dir, environment: [
            "PIPEC_DOCS_TOKEN": "envtoken-9a8b7c6d", "PIPEC_DOCS_API_URL": "https://user:envpassword-5e4f@api.invalid", "PIPEC_STATE": "",
        ])
        try #require(result.exitCode == 0, "\(result.stderr)")
        let files = try SiteFiles(site)
        for secret in ["s3cretpw-literal", "hunter2-literal-token", "envtoken-9a8b7c6d", "envpassword-5e4f"] { files.expectNoLeak(secret) }
        files.expectLinksResolve()

        for page in ["pipelines/hostile/index.html", "pipelines/hostile/tables/raw.events.html", "pipelines/hostile/tables/clean.events.html",
                     "pipelines/hostile/lineage.html"] {
            let dom = try HeadlessChromium.dumpDOM(site.appendingPathComponent(page)).output
            // As text the markup is serialized with &lt;; as an element it would start with a bare <.
            for injected in ["<b id=\"owner-injected\"", "<img id=\"resource-injected\"", "<img id=\"column-injected\"", "<b id=\"check-injected\""] {
                #expect(!dom.contains(injected), "\(injected) became an element on \(page)")
            }
            #expect(!dom.contains("<script>window.pwned"), "a script from the spec became an element on \(page)")
            #expect(dom.matches(of: /<script/).count == dom.matches(of: /<script src=|<script>window\.PIPEC_LINEAGE/).count, "unexpected script on \(page)")
        }
        let overview = try HeadlessChromium.dumpDOM(site.appendingPathComponent("pipelines/hostile/index.html")).output
        #expect(overview.contains("&lt;script&gt;window.pwned = 1&lt;/script&gt;"), "the description is shown as text")
        let raw = try HeadlessChromium.dumpDOM(site.appendingPathComponent("pipelines/hostile/tables/raw.events.html")).output
        #expect(raw.contains("&lt;img id=\"column-injected\""), "the column description is shown as text")
    }

    /// Mistakes on the command line are usage errors (exit 2); an invalid spec fails (exit 1) and writes nothing.
    @Test func badInvocations() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = CLIHarness.packageRoot.appendingPathComponent("specs/medallion.yaml").path
        let site = dir.appendingPathComponent("site").path
        let badDs = try CLIHarness.run(["docs", spec, "-o", site, "--ds", "yesterday"], in: dir)
        #expect(badDs.exitCode == 2 && badDs.stderr.contains("--ds expects a date"), "\(badDs.stderr)")
        let noOutput = try CLIHarness.run(["docs", spec], in: dir)
        #expect(noOutput.exitCode == 2, "\(noOutput.stderr)")
        let invalid = CLIHarness.packageRoot.appendingPathComponent("Tests/Fixtures/validate/unknown-task-key/spec.yaml").path
        let failed = try CLIHarness.run(["docs", invalid, "-o", site], in: dir)
        #expect(failed.exitCode == 1 && failed.stderr.contains("error"))
        #expect(!FileManager.default.fileExists(atPath: site))
        // A ds the pipeline has no run for: the first run, and the pages say why.
        let outside = try CLIHarness.run(["docs", spec, "-o", site, "--ds", "1999-01-01", "--state", "sqlite:" + dir.appendingPathComponent("none.sqlite").path], in: dir)
        #expect(outside.exitCode == 0, "\(outside.stderr)")
        let page = try String(contentsOf: URL(fileURLWithPath: site).appendingPathComponent("pipelines/medallion/tables/silver.fact_events.html"), encoding: .utf8)
        #expect(page.contains("medallion has no run with ds 1999-01-01; this is its first run."))
    }

    /// The detector the other tests rely on does see a request a page makes.
    @Test func networkLogShowsARequestAPageMakes() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("probe.html")
        try "<html><body><img src=\"http://pipec-probe.invalid/x.png\"></body></html>".write(to: page, atomically: true, encoding: .utf8)
        let run = try HeadlessChromium.dumpDOM(page)
        #expect(HeadlessChromium.networkRequests(run.netLog).contains { $0.contains("pipec-probe.invalid") })
    }

    /// A screenshot of the medallion lineage page is not blank and shows the graph (its table and task colours).
    @Test func screenshotShowsTheGraph() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let site = dir.appendingPathComponent("site")
        let result = try CLIHarness.run(["docs", CLIHarness.packageRoot.appendingPathComponent("specs/medallion.yaml").path, "-o", site.path],
                                        in: dir, environment: ["PIPEC_STATE": ""])
        try #require(result.exitCode == 0, "\(result.stderr)")
        let png = dir.appendingPathComponent("lineage.png")
        _ = try HeadlessChromium.screenshot(site.appendingPathComponent("pipelines/medallion/lineage.html"), to: png)
        let pixels = try PNGPixels(Array(try Data(contentsOf: png)))
        #expect(pixels.width == 1200 && pixels.height == 900)
        #expect(pixels.distinctColours > 50, "blank screenshot: \(pixels.distinctColours) colours")
        let tableFill = pixels.count(near: (0xdb, 0xea, 0xfe))
        let taskFill = pixels.count(near: (0xdc, 0xfc, 0xe7))
        #expect(tableFill > 3000, "table nodes drawn: \(tableFill) px")
        #expect(taskFill > 500, "task nodes drawn: \(taskFill) px")
    }

    /// `pipec lineage --format svg` draws the same graph: one node group per lineage node, no links.
    @Test func lineageSVGOnTheCommandLine() throws {
        let spec = CLIHarness.packageRoot.appendingPathComponent("specs/medallion.yaml").path
        let svg = try CLIHarness.run(["lineage", spec, "--format", "svg"], in: CLIHarness.packageRoot)
        try #require(svg.exitCode == 0, "\(svg.stderr)")
        #expect(svg.stdout.contains("<svg"))
        let json = try CLIHarness.run(["lineage", spec, "--format", "json"], in: CLIHarness.packageRoot)
        let nodes = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["nodes"] as? [Any])
        #expect(svg.stdout.matches(of: /class="node"/).count == nodes.count)
        #expect(!svg.stdout.contains("xlink:href"))
    }

    // MARK: helpers

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func load(_ spec: URL) throws -> Pipeline {
        let loaded = SpecLoader.load(path: spec.path, sources: SourceFiles())
        return try #require(loaded.pipeline)
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// The undoing of HTML's five entities, for reading attribute values back.
enum HTMLText {
    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// Every file of a generated site, read once, with the checks that look at all of them.
struct SiteFiles {
    let root: URL
    /// Path from the root -> text.
    var texts: [String: String] = [:]

    init(_ root: URL) throws {
        self.root = root
        let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { texts[path] = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }
        }
    }

    func expectNoLeak(_ secret: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for (path, text) in texts where text.contains(secret) {
            Issue.record("\(path) contains \(secret)", sourceLocation: sourceLocation)
        }
    }

    /// No page loads anything from a host: no src/href with a scheme or `//`, no CSS url() outside the site.
    func expectOnlyLocalResources(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for (path, text) in texts {
            for m in text.matches(of: /(?:src|href)\s*=\s*"((?:[a-zA-Z][a-zA-Z0-9+.-]*:|\/\/)[^"]*)"/) {
                Issue.record("\(path) refers to \(m.1)", sourceLocation: sourceLocation)
            }
            if text.contains("url(http") || text.contains("@import") { Issue.record("\(path) imports from the network", sourceLocation: sourceLocation) }
        }
    }

    /// Every relative link and script/stylesheet reference points at a file of the site.
    func expectLinksResolve(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for (path, text) in texts where path.hasSuffix(".html") {
            let folder = root.appendingPathComponent(path).deletingLastPathComponent()
            for m in text.matches(of: /(?:src|href)="([^"#?]*)[^"]*"/) {
                let target = HTMLText.unescape(String(m.1))
                if target.isEmpty { continue }
                let resolved = folder.appendingPathComponent(target).standardizedFileURL.path
                if !FileManager.default.fileExists(atPath: resolved) {
                    Issue.record("\(path) links to missing \(target)", sourceLocation: sourceLocation)
                }
            }
        }
    }

    /// The text of the page under `folder` whose `<h1>` names `name`.
    func page(containing marker: String, named name: String, in folder: String) -> String? {
        let escaped = DocsSiteTests.escaped(name)
        return texts.first { $0.key.hasPrefix(folder + "/") && $0.value.contains(marker) && $0.value.range(of: "<h1>") != nil
            && $0.value.contains(" \(escaped)</h1>") }?.value
    }
}
