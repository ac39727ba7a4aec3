import Foundation
import PipecDiagnostics
import PipecModel

/// Inputs that grow must cost linearly (issue 18, point 5): a table family with a 5,000 / 10,000 / 20,000-key
/// `for_each` against the same number of plain tables, and a spec with one 50 MB mapping key (validated and its
/// diagnostics rendered, as `pipec validate` does) against a bare libyaml scan of the same bytes.
enum ScalingBenchmark {
    static func run() {
        for n in [5_000, 10_000, 20_000] {
            let family = familySpec(keys: n), plain = plainSpec(tables: n)
            var tables = 0
            let (f, p) = Measure.medians(runs: 3, {
                tables = SpecLoader.load(text: family, path: "family.yaml", projectRoot: ".", sources: SourceFiles()).pipeline?.tables.count ?? 0
            }, {
                _ = SpecLoader.load(text: plain, path: "plain.yaml", projectRoot: ".", sources: SourceFiles())
            })
            print("scaling: for_each with \(n) keys (\(tables) tables) \(Measure.format(f)); \(n) plain tables \(Measure.format(p)); "
                  + "ratio \(Measure.ratio(f / p)) (target: flat as n grows)")
        }
        let key = String(repeating: "k", count: 50 * 1024 * 1024)
        let text = "version: 1\npipeline: big\n? \(key)\n: 1\n"
        let bytes = Array(text.utf8)
        var rendered = 0
        let before = Measure.peakRSSMiB()
        let (scan, validate) = Measure.medians(runs: 3, { _ = ValidateBenchmark.bareScan(bytes) }, {
            let sources = SourceFiles()
            let loaded = SpecLoader.load(text: text, path: "big.yaml", projectRoot: ".", sources: sources)
            rendered = DiagnosticRenderer(sources: sources).render(loaded.diagnostics.sorted()).utf8.count
        })
        print("scaling: one 50 MB mapping key: validate + render \(Measure.format(validate)) (\(rendered) bytes of diagnostics); "
              + "bare libyaml scan \(Measure.format(scan)); ratio \(Measure.ratio(validate / scan)); "
              + String(format: "peak RSS %.0f MiB (%.0f MiB before)", Measure.peakRSSMiB(), before))
    }

    /// One table declaration whose `for_each` has `keys` entries.
    static func familySpec(keys: Int) -> String {
        var out = """
        version: 1
        pipeline: family
        resources:
          db: {kind: sqlite, path: w.sqlite}
        tables:
          "t_{item}":
            on: db
            columns: {id: INTEGER}
            build: {sql: "SELECT {{ item.v }} AS id", strategy: full}
            for_each:

        """
        for i in 0..<keys { out += "      k\(i): {v: \(i)}\n" }
        return out
    }

    /// The same tables, written out one by one.
    static func plainSpec(tables: Int) -> String {
        var out = """
        version: 1
        pipeline: plain
        resources:
          db: {kind: sqlite, path: w.sqlite}
        tables:

        """
        for i in 0..<tables {
            out += "  t_k\(i):\n    on: db\n    columns: {id: INTEGER}\n    build: {sql: \"SELECT \(i) AS id\", strategy: full}\n"
        }
        return out
    }
}
