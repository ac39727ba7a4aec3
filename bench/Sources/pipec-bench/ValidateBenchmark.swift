import Foundation
import PipecDiagnostics
import PipecModel
import PipecSyntax

/// Validating a 10,000-table spec (the whole front end, templates included) against a bare libyaml event scan of
/// the same text: the floor any YAML-based validator stands on.
enum ValidateBenchmark {
    static func run() {
        let text = SpecGenerator.spec(tables: 10_000)
        let bytes = Array(text.utf8)
        var diagnostics = 0
        // Taken in turns, so that both see the machine in the same state (a shared 2-core machine drifts over
        // seconds); medians of each.
        let (scan, validate) = Measure.medians(runs: 9, { _ = bareScan(bytes) }, {
            let loaded = SpecLoader.load(text: text, path: "specs/generated-10000-tables.yaml", projectRoot: ".", sources: SourceFiles())
            diagnostics = loaded.diagnostics.count
        })
        // Stages that run at the same time (schema beside model, semantic beside templates) print their own times,
        // then the pair's wall time ("schema | model").
        var options = LoadOptions()
        options.stageTimer = { stage, seconds in print(String(format: "  %-10@ %.3f s", stage, seconds)) }
        _ = SpecLoader.load(text: text, path: "specs/generated-10000-tables.yaml", projectRoot: ".", sources: SourceFiles(), options: options)
        print("validate: 10,000 tables (\(bytes.count / 1024) KiB): \(Measure.format(validate)); bare libyaml scan \(Measure.format(scan)); "
              + "ratio \(Measure.ratio(validate / scan)) (target <= 3x, < 0.5 s); diagnostics: \(diagnostics)")
    }

    static func bareScan(_ bytes: [UInt8]) -> Int { BareScan.countEvents(bytes) }
}
