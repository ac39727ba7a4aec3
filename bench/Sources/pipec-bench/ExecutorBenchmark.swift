import Foundation
import PipecDiagnostics
import PipecExec
import PipecModel

/// `pipec apply` of 10,000 no-op tasks (each `SELECT 1` on SQLite, in chains of 100) with every try, completed
/// interval and run persisted in a SQLite state store, against the same DAG pushed through the runner with a
/// performer that does nothing and records nothing: the cost of pipec's own bookkeeping per task.
enum ExecutorBenchmark {
    static func spec(tasks: Int) -> String {
        var out = """
        version: 1
        pipeline: noop
        resources:
          local: {kind: sqlite, path: .pipec/noop.sqlite}
        tasks:

        """
        for i in 0..<tasks {
            out += "  t\(i): {kind: sql, on: local, sql: \"SELECT 1\"\(i >= 100 ? ", after: [t\(i - 100)]" : "")}\n"
        }
        return out
    }

    struct NoOp: WorkPerformer {
        func perform(_ item: WorkItem, attempt: Int, cancel: CancellationFlag) -> WorkOutcome { .success(rows: 0) }
    }

    static func run() {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-bench-exec-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = spec(tasks: Int(ProcessInfo.processInfo.environment["PIPEC_BENCH_TASKS"] ?? "") ?? 10_000)
        guard let pipeline = SpecLoader.load(text: text, path: dir + "/noop.yaml", projectRoot: dir, sources: SourceFiles()).valid else {
            print("executor: the generated spec does not validate")
            return
        }
        let count = Int(ProcessInfo.processInfo.environment["PIPEC_BENCH_TASKS"] ?? "") ?? 10_000
        let items = (0..<count).map { WorkItem(id: "t\($0)", upstream: $0 >= 100 ? ["t\($0 - 100)"] : []) }
        let baseline = Measure.median(runs: 3) { _ = DAGRunner(items: items, performer: NoOp(), parallel: 2, pools: [:]).run() }
        var options = ApplyOptions()
        options.selection = .ds("2025-01-01")
        options.parallel = 2
        options.state = "sqlite:" + dir + "/.pipec/state.sqlite"
        options.specText = text
        var status = "?"
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let outcome = try Applier.apply(pipeline, options: options, log: ApplyLog(redact: { $0 }, write: { _ in }), interruption: CancellationFlag())
            status = "\(outcome.counts[.success] ?? 0) succeeded"
        } catch {
            status = "failed: \(error)"
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("executor: apply of 10,000 no-op tasks with state persisted: \(Measure.format(seconds)) (\(status)); "
              + "scheduling alone \(Measure.format(baseline)); ratio \(Measure.ratio(seconds / baseline)) (target < 2 s)")
    }
}
