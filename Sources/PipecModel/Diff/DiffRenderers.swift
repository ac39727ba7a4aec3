import PipecDiagnostics

/// `pipec diff` output: text for terminals, markdown to paste into a pull request, JSON for tools.
public enum DiffRenderers {
    static let areas = ["table", "column", "task", "schedule", "defaults", "pool", "resource", "group"]
    static let titles = ["table": "Tables", "column": "Columns", "task": "Tasks", "schedule": "Schedule", "defaults": "Defaults",
                         "pool": "Pools", "resource": "Resources", "group": "Groups"]

    static func symbol(_ a: ChangeAction) -> String {
        switch a {
        case .added: return "+"
        case .removed: return "-"
        case .changed: return "~"
        case .renamed: return ">"
        }
    }

    static func tag(_ impact: ChangeImpact) -> String {
        switch impact {
        case .breaking: return "  [breaking]"
        case .data: return "  [data]"
        case .nonBreaking: return ""
        }
    }

    static func summary(_ r: SpecDiffResult) -> String {
        let breaking = r.changes.filter { $0.impact == .breaking }.count
        let data = r.changes.filter { $0.impact == .data }.count
        if r.changes.isEmpty { return "No changes." }
        return "\(r.changes.count) change\(r.changes.count == 1 ? "" : "s"): \(breaking) breaking, \(data) affecting data, "
            + "\(r.changes.count - breaking - data) non-breaking; \(r.affected.count) downstream unit\(r.affected.count == 1 ? "" : "s") to rebuild or backfill."
    }

    public static func text(_ r: SpecDiffResult) -> String {
        var out = "pipec diff: \(r.oldPipeline) -> \(r.newPipeline) (SQL rendered for \(r.renderedFor))\n"
        for area in areas {
            let changes = r.changes.filter { $0.area == area }
            guard !changes.isEmpty else { continue }
            out += "\n\(titles[area]!):\n"
            for c in changes {
                out += "  \(symbol(c.action)) \(c.subject): \(c.detail)\(tag(c.impact))\n"
                if let diff = c.textDiff, !diff.isEmpty {
                    out += diff.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "      \($0)\n" }.joined()
                }
            }
        }
        if !r.affected.isEmpty {
            out += "\nAffected downstream (rebuild or backfill):\n"
            for a in r.affected { out += "  \(a.unit) (via \(a.because))\n" }
        }
        return out + "\n" + summary(r) + "\n"
    }

    public static func markdown(_ r: SpecDiffResult) -> String {
        var out = "### pipec diff: `\(r.newPipeline)`\n\n"
        out += r.hasBreaking ? "**This change is breaking.** " : ""
        out += summary(r) + "\n"
        let rows = r.changes
        if !rows.isEmpty {
            out += "\n| | what | change | impact |\n|---|---|---|---|\n"
            for c in rows {
                let impact = c.impact == .breaking ? "**breaking**" : c.impact == .data ? "data" : "non-breaking"
                out += "| \(symbol(c.action)) | \(c.area) `\(escape(c.subject))` | \(escape(c.detail)) | \(impact) |\n"
            }
        }
        for c in rows where c.textDiff?.isEmpty == false {
            out += "\n<details><summary>SQL of <code>\(escape(c.subject))</code></summary>\n\n```diff\n\(c.textDiff!)```\n\n</details>\n"
        }
        if !r.affected.isEmpty {
            out += "\n**Affected downstream** (rebuild or backfill):\n\n"
            for a in r.affected { out += "- `\(a.unit)` (via `\(a.because)`)\n" }
        }
        return out + "\n<sub>SQL rendered for \(r.renderedFor).</sub>\n"
    }

    public static func json(_ r: SpecDiffResult) -> JSONValue {
        .object([
            ("old_pipeline", .string(r.oldPipeline)),
            ("new_pipeline", .string(r.newPipeline)),
            ("rendered_for", .string(r.renderedFor)),
            ("breaking", .bool(r.hasBreaking)),
            ("changes", .array(r.changes.map { c in
                .object([
                    ("area", .string(c.area)), ("subject", .string(c.subject)), ("action", .string(c.action.rawValue)),
                    ("impact", .string(c.impact.rawValue)), ("detail", .string(c.detail)),
                    ("diff", c.textDiff.map(JSONValue.string) ?? .null),
                ])
            })),
            ("affected", .array(r.affected.map { .object([("unit", .string($0.unit)), ("because", .string($0.because))]) })),
            ("summary", .string(summary(r))),
        ])
    }

    private static func escape(_ s: String) -> String {
        s.replacingAll("|", with: "\\|")
    }
}
