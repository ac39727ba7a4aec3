import PipecModel

/// Where each page of the site lives, relative to the site's root folder:
///
///     index.html                          every pipeline
///     static/style.css, site.js, search-index.js
///     pipelines/<p>/index.html            one pipeline's overview; lineage.html, columns.html, runs.html beside it
///     pipelines/<p>/tables/<t>.html, tasks/<t>.html, assets/<a>.html
///
/// File names come from `slug`, so any name (an asset's `resource:path`, a hostile description never reaches a
/// path) gives a safe, unique file name.
struct SitePaths: Sendable {
    /// The pipeline's folder under `pipelines/`.
    var folder: String

    var overview: String { "pipelines/\(folder)/index.html" }
    var lineage: String { "pipelines/\(folder)/lineage.html" }
    var runs: String { "pipelines/\(folder)/runs.html" }
    var columns: String { "pipelines/\(folder)/columns.html" }
    func table(_ name: String) -> String { "pipelines/\(folder)/tables/\(Self.slug(name)).html" }
    func task(_ name: String) -> String { "pipelines/\(folder)/tasks/\(Self.slug(name)).html" }
    func asset(_ id: String) -> String { "pipelines/\(folder)/assets/\(Self.slug(id)).html" }

    /// The page of a lineage node: a declared table (external ones too), a task, or else an asset page (assets and
    /// tables only `lineage:` mentions).
    func page(of node: LineageNode, in pipeline: Pipeline) -> String {
        switch node.kind {
        case .task: return task(node.id)
        case .table, .externalTable, .asset: return pipeline.hasTable(node.id) ? table(node.id) : asset(node.id)
        }
    }

    /// A file name for `name`: letters, digits, `_`, `-` and inner `.` are kept; anything else becomes `_` and a
    /// hash of the whole name is appended, so two names that differ only in replaced characters stay apart.
    static func slug(_ name: String) -> String {
        var out = ""
        var changed = false
        for c in name.unicodeScalars {
            let safe = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "-"
                || (c == "." && !out.isEmpty)
            if safe { out.unicodeScalars.append(c) } else { out += "_"; changed = true }
        }
        if out.count > 80 { out = String(out.prefix(80)); changed = true }
        if out.isEmpty || changed { out += "-" + fnv1a(name) }
        return out
    }

    /// 64-bit FNV-1a of the UTF-8 bytes as 16 hex digits: deterministic across runs (Swift's hasher is seeded).
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The way from the folder holding `page` back to the site root: `.` or `../..` etc.
    static func root(from page: String) -> String {
        let depth = page.split(separator: "/").count - 1
        return depth == 0 ? "." : Array(repeating: "..", count: depth).joined(separator: "/")
    }
}
