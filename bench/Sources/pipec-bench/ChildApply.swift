import Foundation
import PipecDiagnostics
import PipecExec
import PipecModel

/// `pipec-bench __apply SPEC DS`: what `pipec apply SPEC --ds DS --rerun` does (load the spec, apply it with a
/// SQLite state store beside it), in a process of its own so that its peak memory (VmHWM, reported by the child
/// itself) is pipec's alone. Prints one line, `status=... seconds=... rss_before_kib=... hwm_kib=...`; apply's log
/// lines go to stderr. Exit code 0 when the apply succeeded.
enum ChildApply {
    static func main(_ arguments: [String]) -> Int32 {
        guard arguments.count == 2 else {
            FileHandle.standardError.write(Data("usage: pipec-bench __apply SPEC DS\n".utf8))
            return 2
        }
        let specPath = arguments[0]
        let root = (specPath as NSString).deletingLastPathComponent
        let rssBefore = kib("VmRSS")
        guard let text = try? String(contentsOfFile: specPath, encoding: .utf8) else {
            FileHandle.standardError.write(Data("cannot read \(specPath)\n".utf8))
            return 1
        }
        let loaded = SpecLoader.load(text: text, path: specPath, projectRoot: root, sources: SourceFiles())
        guard let pipeline = loaded.valid else {
            FileHandle.standardError.write(Data("the spec does not validate: \(loaded.diagnostics)\n".utf8))
            return 1
        }
        var options = ApplyOptions()
        options.selection = .ds(arguments[1])
        options.rerun = true
        options.state = "sqlite:" + root + "/.pipec/state.sqlite"
        let log = ApplyLog(redact: { $0 }, write: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        let start = DispatchTime.now().uptimeNanoseconds
        let outcome: ApplyOutcome
        do {
            outcome = try Applier.apply(pipeline, options: options, log: log, interruption: CancellationFlag())
        } catch {
            FileHandle.standardError.write(Data("apply threw: \(error)\n".utf8))
            return 1
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("status=\(outcome.status.rawValue) seconds=\(seconds) rss_before_kib=\(rssBefore) hwm_kib=\(kib("VmHWM"))")
        if outcome.status != .success { FileHandle.standardError.write(Data("apply: \(outcome.message)\n".utf8)) }
        return outcome.status == .success ? 0 : 1
    }

    /// A /proc/self/status memory line in KiB; 0 where /proc is unavailable.
    static func kib(_ key: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Parses the child's `key=value` line.
    static func fields(_ output: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("status=") {
            for pair in line.split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
            }
        }
        return values
    }
}
