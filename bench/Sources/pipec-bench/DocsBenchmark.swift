import Foundation
import PipecDiagnostics
import PipecModel
import PipecSite

/// `pipec docs` on the 10,000-table spec: the whole site (40,000 columns, rendered SQL per table, search index)
/// written to a temporary folder; then the lineage SVG of the first 1,000 tables, which Graphviz does draw.
/// Time and size are printed; there is no baseline to compare with.
enum DocsBenchmark {
    static func run() {
        let text = SpecGenerator.spec(tables: 10_000)
        let loaded = SpecLoader.load(text: text, path: "specs/generated-10000-tables.yaml", projectRoot: ".", sources: SourceFiles())
        guard let pipeline = loaded.pipeline, !loaded.diagnostics.hasErrors else {
            print("docs: the generated spec does not load")
            return
        }
        guard let run = try? RunSelection.first.runs(for: pipeline).first else { return }
        let site = PipelineSite(pipeline: pipeline, run: run, history: nil, redactor: Redactor(pipeline: pipeline, environment: [:]))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-bench-docs-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var summary: DocsSite.Summary?
        let cpuBefore = clock()
        let seconds = timed {
            do {
                summary = try DocsSite.write([site], to: folder.path)
            } catch {
                print("docs: \(error)")
            }
        }
        let cpu = Double(clock() - cpuBefore) / Double(CLOCKS_PER_SEC)
        print("docs: 10,000 tables: \(Measure.format(seconds)) wall, \(Measure.format(cpu)) CPU; \(summary?.files ?? 0) files, \(String(format: "%.1f", Double(summary?.bytes ?? 0) / 1_048_576)) MiB")

        let graph = LineageGraph(pipeline: pipeline)
        let part = graph.subgraph(keeping: Set(graph.nodes.prefix(1_000).map(\.id)))
        var bytes = 0
        let drawn = timed { bytes = (try? LineageSVG.render(part))?.utf8.count ?? 0 }
        print("docs: lineage SVG of \(part.nodes.count) nodes, \(part.edges.count) edges by Graphviz: \(Measure.format(drawn)), \(bytes / 1024) KiB")
    }

    private static func timed(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
