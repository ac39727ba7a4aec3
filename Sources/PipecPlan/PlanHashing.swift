import PipecDiagnostics
import PipecIO
import PipecModel

/// The plan's content hashes. Each is SHA-256 over a canonical text, so a reader can recompute it:
///
/// - **spec**: `pipec-spec\n`, the spec file's text, then for each template file the pipeline names (sorted by
///   path relative to the project root, each once) `\n<path>\n<text>`. Changing a template changes it; moving the project does not.
/// - **unit**: the unit's JSON (docs/plan-format.md) without `stage` and `sha256`, serialized compactly. It
///   changes exactly when what the unit does changes, so units can be compared across plans.
/// - **plan**: the whole plan's JSON without its top-level `sha256`, each unit replaced by `{"id", "stage",
///   "sha256"}` (its content hash covers the rest), serialized compactly.
public enum PlanHashing {
    public static func specHash(_ pipeline: Pipeline, specText: String) -> String {
        var files: [String: String] = [:]
        // Template paths are read relative to the working directory; the hash names them relative to the project
        // root, so a plan made in one folder is current when applied from another.
        let root = pipeline.projectRoot.hasSuffix("/") ? pipeline.projectRoot : pipeline.projectRoot + "/"
        func note(_ t: TemplateText?) {
            guard let t, let path = t.path else { return }
            files[path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path] = t.text
        }
        Templates.forEachUnit(in: pipeline) { _, texts in texts.forEach(note) }
        for table in pipeline.tables where table.external || table.sql == nil {
            for check in table.checks { if case .expression(let e) = check.rule { note(e) } }
        }
        var hasher = SHA256()
        hasher.update("pipec-spec\n")
        hasher.update(specText)
        for path in files.keys.sorted() {
            hasher.update("\n\(path)\n")
            hasher.update(files[path] ?? "")
        }
        return hasher.hexDigest()
    }

    public static func unitHash(_ unit: PlanUnit) -> String {
        SHA256.hex(unitText(unit))
    }

    public static func planHash(_ plan: Plan) -> String {
        SHA256.hex(JSONValue.object(PlanJSON.hashBody(plan)).serialized(pretty: false))
    }

    /// A unit with its content hash filled in.
    public static func sealedUnit(_ unit: PlanUnit) -> PlanUnit {
        var u = unit
        u.contentHash = unitHash(u)
        return u
    }

    /// The plan with every unit hash, the plan hash and `environmentReferences` filled in: the names of the
    /// environment variables applying it needs (every `${env:NAME}` left in its text, plus those behind the
    /// resources' secret settings, headers and recipients, which the plan shows as `***`, and `hidden`: those of task
    /// headers, which apply renders). Each unit is
    /// serialized once, for its hash and its references both.
    public static func sealedWithReferences(_ plan: Plan, resources: [Resource], hidden: [String] = []) -> Plan {
        var out = plan
        var names = Set<String>(hidden)
        for r in resources {
            for value in Array(r.settings.values) + r.headers.map(\.1) + r.recipients { names.formUnion(value.environmentNames) }
        }
        for r in out.runs.indices {
            let hashed = ParallelMap.map(out.runs[r].units) { unit -> (String, Set<String>) in
                let text = unitText(unit)
                var found = Set<String>()
                collectReferences(text, into: &found)
                return (SHA256.hex(text), found)
            }
            for (u, (hash, found)) in hashed.enumerated() {
                out.runs[r].units[u].contentHash = hash
                names.formUnion(found)
            }
        }
        // Everything but the units (resources, ensure, setup) is scanned in the text the plan hash is computed
        // over. Its members are serialized one by one so the `environment` list, which depends on the scan, is
        // the only one written after it; the object is then assembled exactly as `serialized` would write it.
        let members = PlanJSON.hashBody(out)
        var texts = members.map { key, value in key == "environment" ? "" : value.serialized(pretty: false) }
        for text in texts { collectReferences(text, into: &names) }
        out.environmentReferences = names.sorted()
        for (i, (key, _)) in members.enumerated() where key == "environment" {
            texts[i] = JSONValue.array(out.environmentReferences.map(JSONValue.string)).serialized(pretty: false)
        }
        var text = "{"
        for (i, (key, _)) in members.enumerated() {
            if i > 0 { text += "," }
            JSONValue.writeString(key, to: &text)
            text += ":" + texts[i]
        }
        text += "}"
        out.planHash = SHA256.hex(text)
        return out
    }

    /// What a unit's content hash is computed over.
    private static func unitText(_ unit: PlanUnit) -> String {
        JSONValue.object(PlanJSON.unitFields(unit, includingStage: false)).serialized(pretty: false)
    }

    private static func collectReferences(_ text: String, into names: inout Set<String>) {
        let marker = Array("${env:".utf8)
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var i = 0
            while i + marker.count <= bytes.count {
                guard bytes[i] == marker[0], bytes[i + 1] == marker[1], Array(bytes[i..<(i + marker.count)]) == marker else {
                    i += 1
                    continue
                }
                var j = i + marker.count
                while j < bytes.count, bytes[j] == UInt8(ascii: "_") || (bytes[j] >= 0x30 && bytes[j] <= 0x39) || (bytes[j] | 0x20 >= 0x61 && bytes[j] | 0x20 <= 0x7A) {
                    j += 1
                }
                if j > i + marker.count { names.insert(String(decoding: bytes[(i + marker.count)..<j], as: UTF8.self)) }
                i = j
            }
        }
    }
}
