import Foundation
import PipecPlan

/// A plan saved with `pipec compile --format json -o PLAN.json`, as `pipec apply PLAN.json` reads it.
public enum SavedPlan {
    /// Whether `text` is a plan document rather than a spec: a JSON object that says `"format": "pipec-plan"`
    /// near its start (where `PlanJSON` writes it). Judged by content, so the file may have any name; a truncated
    /// or edited plan still counts, and the decoder then says what is wrong with it.
    public static func looksLikePlan(_ text: String) -> Bool {
        let head = text.utf8.prefix(1024)
        guard head.first(where: { !$0.isWhitespace }) == UInt8(ascii: "{") else { return false }
        let window = String(decoding: head, as: UTF8.self)
        return window.contains("\"format\"") && window.contains("\"\(PlanJSON.formatName)\"")
    }

    /// The file's text when it is a plan document; nil when it is something else (a spec) or cannot be read.
    public static func readIfPlan(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        return looksLikePlan(text) ? text : nil
    }

    /// The plan in `text`, its unit and plan hashes checked (`PlanJSONDecoder`).
    public static func decode(_ text: String, path: String) throws -> Plan {
        do throws(PlanJSONDecoder.Problem) {
            return try PlanJSONDecoder.decode(text)
        } catch {
            throw EngineError("\(path) is not a plan pipec can apply: \(error.description)")
        }
    }

    /// Where the plan's spec is: its path as compiled, from the working directory (as `pipec compile` was
    /// most likely run), else from the plan file's folder.
    public static func specPath(of plan: Plan, planPath: String) -> String? {
        let file = plan.specFile
        if file.hasPrefix("/") { return FileManager.default.fileExists(atPath: file) ? file : nil }
        if FileManager.default.fileExists(atPath: file) { return file }
        let beside = ((planPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(file)
        return FileManager.default.fileExists(atPath: beside) ? beside : nil
    }
}

private extension UInt8 {
    var isWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
