import Foundation
import PipecDiagnostics
import PipecModel
import PipecPlan

/// Compiling a 10,000-table spec for one interval, and diffing two versions of it, against the bare libyaml scan
/// of the same file (the floor for anything that reads YAML); peak RSS shows memory stays small and linear.
enum CompileBenchmark {
    static func run() {
        let text = SpecGenerator.spec(tables: 10_000)
        let changed = SpecGenerator.spec(tables: 10_000, variant: 1)
        let scan = Measure.median { _ = ValidateBenchmark.bareScan(Array(text.utf8)) }
        let rssBefore = Measure.peakRSSMiB()
        guard let pipeline = SpecLoader.load(text: text, path: "generated.yaml", projectRoot: ".", sources: SourceFiles()).valid,
              let other = SpecLoader.load(text: changed, path: "generated-v2.yaml", projectRoot: ".", sources: SourceFiles()).valid else {
            print("compile: the generated spec does not validate")
            return
        }
        var units = 0
        let runs = (try? RunSelection.ds("2025-03-01").runs(for: pipeline)) ?? []
        let compile = Measure.median(runs: 3) {
            if let plan = try? PlanCompiler.compile(pipeline, runs: runs, options: PlanOptions(specText: text)) {
                units = plan.runs.reduce(0) { $0 + $1.units.count }
            }
        }
        var changes = 0
        let diff = Measure.median(runs: 3) { changes = SpecDiff.compare(old: pipeline, new: other).changes.count }
        print("compile: 10,000 tables, 1 interval (\(units) units): \(Measure.format(compile)); "
              + "ratio to the bare libyaml scan \(Measure.ratio(compile / scan)) (target < 1 s)")
        print("diff: two 10,000-table specs (\(changes) changes): \(Measure.format(diff)); ratio to the scan \(Measure.ratio(diff / scan)) (target < 1 s)")
        print("memory: peak RSS \(String(format: "%.0f", Measure.peakRSSMiB())) MiB (\(String(format: "%.0f", rssBefore)) MiB before loading the specs)")
    }
}
