import Foundation
import PipecDiagnostics
import PipecSyntax

/// The result of reading one spec: the checked model (nil when the file could not be read into one) and every
/// diagnostic found along the way.
public struct LoadedSpec: Sendable {
    public var pipeline: Pipeline?
    public var diagnostics: Diagnostics

    /// The model, when there are no errors.
    public var valid: Pipeline? { diagnostics.hasErrors ? nil : pipeline }
}

public struct LoadOptions: Sendable {
    /// Run the template engine over every template (parse + a trial render) — what `pipec validate` does.
    public var checkTemplates = true
    public var limits = ParseLimits()
    /// Parse inline templates in the time the YAML tree builder would wait (large files; see `TemplatePreparse`).
    /// Off only to check that it changes nothing.
    var parseTemplatesWhileReading = true
    /// Told each stage's name and wall time in seconds (`--timings`, benchmarks).
    public var stageTimer: (@Sendable (String, Double) -> Void)?

    public init() {}
}

/// Reads a spec through every front-end stage: YAML -> for_each expansion -> structural check -> typed model ->
/// semantic checks -> template checks.
public enum SpecLoader {
    public static func load(path: String, sources: SourceFiles, options: LoadOptions = LoadOptions()) -> LoadedSpec {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        guard exists, !isFolder.boolValue, let data = FileManager.default.contents(atPath: path) else {
            let message = !exists ? "no such file" : isFolder.boolValue ? "is a folder, not a spec file" : "cannot be read"
            return LoadedSpec(pipeline: nil, diagnostics: Diagnostics([
                .error("E000", message, file: path, help: isFolder.boolValue ? "name the spec files, e.g. \(Paths.join(path, "*.yaml"))" : nil),
            ]))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            // Point at the first byte that is not UTF-8, and quote its line with the bad bytes replaced.
            let bad = InvalidUTF8.firstBadByte(in: data)
            sources.add(SourceFile(path: path, text: String(decoding: data, as: UTF8.self)))
            return LoadedSpec(pipeline: nil, diagnostics: Diagnostics([
                .error("E002", "the file is not UTF-8 text: byte 0x\(String(data[data.startIndex + bad.offset], radix: 16, uppercase: true)) at offset \(bad.offset) is not valid",
                       at: SourceLocation(file: path, line: bad.line, column: bad.column)),
            ]))
        }
        return load(text: text, path: path, projectRoot: projectRoot(forSpecAt: path), sources: sources, options: options)
    }

    /// Loads spec text that is already in memory (tests, `diff --against`), resolving templates under `projectRoot`.
    public static func load(text: String, path: String, projectRoot: String, sources: SourceFiles,
                            options: LoadOptions = LoadOptions(),
                            readFile: @escaping @Sendable (String) -> String? = { p in
                                FileManager.default.contents(atPath: p).flatMap { String(data: $0, encoding: .utf8) }
                            }) -> LoadedSpec {
        var clock = StageClock(report: options.stageTimer)
        let source = SourceFile(path: path, text: text)
        sources.add(source)
        var diagnostics = Diagnostics()
        // Templates are parsed while the YAML is read, with time the tree builder would spend waiting.
        let preparse = options.checkTemplates && options.parseTemplatesWhileReading ? TemplatePreparse(file: path) : nil
        let (parsed, parseProblems) = YAMLParser.parse(source, limits: options.limits, sideWork: preparse)
        diagnostics.append(contentsOf: parseProblems)
        clock.lap("parse")
        guard let root = consume parsed else { return LoadedSpec(pipeline: nil, diagnostics: diagnostics) }

        let tree = SyntaxTreeDisposal()
        let model = readModel(consume root, keepingTreeIn: tree, path: path, projectRoot: projectRoot, sources: sources, readFile: readFile,
                              diagnostics: &diagnostics, clock: &clock)
        guard let pipeline = model else { return LoadedSpec(pipeline: nil, diagnostics: diagnostics) }
        // Secrets written literally (W701) are quoted by diagnostics about their lines: never show them.
        sources.mask(Redactor(pipeline: pipeline, environment: [:]).secrets)

        // The semantic and template checks only read the model, so they run at once; the tree, no longer needed,
        // is freed beside them. The template checks are the longer stage: the semantic side, once done, takes
        // template chunks too.
        let handoff = TemplateWorkHandoff()
        let (semantic, templates) = Concurrently.run({
            let start = DispatchTime.now().uptimeNanoseconds
            var semantic = SemanticChecker(pipeline: pipeline)
            semantic.run()
            let bareReads = BareTableReads.check(pipeline)
            tree.free()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            handoff.help()
            return (semantic.diagnostics + bareReads, seconds)
        }, {
            guard options.checkTemplates else { return TemplateChecker.Work?.none }
            let work = TemplateChecker(pipeline: pipeline, preparsed: preparse).prepare()
            handoff.publish(work)
            work.help()
            return work
        })
        diagnostics.append(contentsOf: semantic.value.0)
        if let work = templates.value { diagnostics.append(contentsOf: work.diagnostics) }
        clock.record([("semantic", semantic.value.1)] + (options.checkTemplates ? [("templates", templates.seconds)] : []))
        return LoadedSpec(pipeline: pipeline, diagnostics: Diagnostics(Diagnostics(dedupe(diagnostics.all)).sorted()))
    }

    /// for_each expansion, then the structural check and the model builder, which both only read the tree (the builder
    /// skips quietly what the check rejects) and so run at once. Diagnostics are gathered in stage order. The tree is
    /// handed to `tree` rather than freed on return; nil when the spec is not a mapping.
    private static func readModel(_ parsedRoot: consuming Node, keepingTreeIn tree: SyntaxTreeDisposal, path: String, projectRoot: String,
                                  sources: SourceFiles, readFile: @escaping @Sendable (String) -> String?,
                                  diagnostics: inout Diagnostics, clock: inout StageClock) -> Pipeline? {
        var expansion = ForEachExpansion()
        let groups = expansion.expand(section: "groups", of: parsedRoot)
        let tables = expansion.expand(section: "tables", of: parsedRoot)
        let tasks = expansion.expand(section: "tasks", of: parsedRoot)
        diagnostics.append(contentsOf: expansion.diagnostics)
        let root = replacingSections(parsedRoot, ["groups": groups, "tables": tables, "tasks": tasks])
        clock.lap("expand")

        guard root.entries != nil else {
            var checker = SchemaChecker()
            checker.check(root: root)
            diagnostics.append(contentsOf: checker.diagnostics)
            clock.lap("schema")
            return nil
        }
        let (schema, model) = Concurrently.run({
            // A handle of its own: see SyntaxTree.
            var checker = SchemaChecker()
            checker.check(root: root.through(root.tree.newHandle()))
            return checker.diagnostics
        }, {
            var builder = ModelBuilder(file: path, projectRoot: projectRoot) { p in
                guard let t = readFile(p) else { return nil }
                sources.add(SourceFile(path: p, text: t))
                return t
            }
            let pipeline = builder.pipeline(root: root, groups: groups, tables: tables, tasks: tasks)
            return (pipeline, builder.diagnostics)
        })
        diagnostics.append(contentsOf: schema.value)
        diagnostics.append(contentsOf: model.value.1)
        clock.record([("schema", schema.seconds), ("model", model.seconds)])
        tree.keep(root, [groups, tables, tasks], parsedRoot)
        return model.value.0
    }

    /// The nearest folder at or above the spec's folder that holds `templates/`; the spec's folder when none does.
    /// Relative specs give a relative root (`.`), so paths in diagnostics stay short.
    public static func projectRoot(forSpecAt path: String) -> String {
        let specDir = Paths.normalize((path as NSString).deletingLastPathComponent)
        var candidate = specDir
        for _ in 0..<64 {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: Paths.join(candidate, "templates"), isDirectory: &isDir), isDir.boolValue {
                return candidate
            }
            if URL(fileURLWithPath: candidate).standardizedFileURL.path == "/" { break }
            candidate = Paths.normalize(Paths.join(candidate, ".."))
        }
        return specDir
    }

    /// for_each copies share their declaration's location: keep one of identical diagnostics.
    private static func dedupe(_ all: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return all.filter { seen.insert($0).inserted }
    }

    /// The root with its for_each sections replaced by their expansions; the root itself when nothing was expanded.
    private static func replacingSections(_ root: Node, _ sections: [String: [ForEachExpansion.Expanded]]) -> Node {
        guard let entries = root.entries, sections.values.contains(where: { $0.contains { $0.item != nil } }) else { return root }
        let replaced = entries.map { entry -> MappingEntry in
            guard let name = entry.key.text, let expanded = sections[name], entry.value.entries != nil else { return entry }
            return MappingEntry(key: entry.key, value: root.tree.mapping(expanded.map { MappingEntry(key: $0.key, value: $0.value) }, at: entry.value))
        }
        return root.tree.mapping(replaced, at: root)
    }
}

extension ModelBuilder {
    mutating func pipeline(root: Node, groups: [ForEachExpansion.Expanded], tables: [ForEachExpansion.Expanded],
                           tasks: [ForEachExpansion.Expanded]) -> Pipeline {
        if let v = root["version"], let n = int(v), n != 1 {
            diagnostics.append(.error("E107", "unsupported spec version \(n)", at: v.location, help: "this pipec reads version 1"))
        }
        let schedule = self.schedule(root["schedule"])
        let defaults = policy(root["defaults"], base: RunPolicy())
        let pools = (root["pools"]?.entries ?? .empty).compactMap { e -> Pool? in
            guard let name = located(e.key), let slots = int(e.value) else { return nil }
            return Pool(name: name, slots: slots)
        }
        let params = (root["params"]?.entries ?? .empty).compactMap { e in
            e.key.text.map { ParamEntry(key: $0, value: ParamValue(e.value), location: e.value.location) }
        }
        let a = root["alerts"]
        let alerts = Alerts(onFailure: names(a?["on_failure"]), onRetry: names(a?["on_retry"]), onSuccess: names(a?["on_success"]))
        let resources = (root["resources"]?.entries ?? .empty).compactMap { resource(key: $0.key, value: $0.value) }
        let lineage = (root["lineage"]?.items ?? .empty).compactMap { n -> LineageEntry? in
            guard let from = located(n["from"]), let to = located(n["to"]) else { return nil }
            return LineageEntry(from: from, to: to, description: text(n["description"]))
        }
        var catalog: Catalog?
        if let c = root["catalog"], let r = located(c["resource"]) {
            catalog = Catalog(resource: r, database: text(c["database"]) ?? "catalog")
        }
        // Mapping entries that the schema check rejected are skipped by each builder.
        let tablesSection = root["tables"]?.entries != nil
        let builtTables = tablesSection ? tables.compactMap { $0.value.entries != nil ? table($0) : nil } : []
        let builtTasks = tasks.compactMap { $0.value.entries != nil ? task($0, defaults: defaults) : nil }
        let builtGroups = groups.compactMap { $0.value.entries != nil ? group($0) : nil }
        // Empty text means "missing" here: the schema check has already said so.
        let name = located(root["pipeline"]) ?? Located("", at: root.location)
        return Pipeline(file: file, projectRoot: projectRoot, version: int(root["version"]) ?? 1, name: name,
                        description: text(root["description"]), owner: text(root["owner"]),
                        tags: root["tags"]?.items?.compactMap(\.text) ?? [], schedule: schedule, defaults: defaults, pools: pools,
                        params: params, alerts: alerts, resources: resources, tables: builtTables, tasks: builtTasks, groups: builtGroups,
                        lineage: lineage, catalog: catalog)
    }
}

/// Measures stages for `LoadOptions.stageTimer`; free when no timer is set.
struct StageClock {
    let report: (@Sendable (String, Double) -> Void)?
    var last = DispatchTime.now().uptimeNanoseconds

    init(report: (@Sendable (String, Double) -> Void)?) {
        self.report = report
    }

    /// Reports the time since the previous stage ended as `stage`'s.
    mutating func lap(_ stage: String) {
        guard let report else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        report(stage, Double(now - last) / 1e9)
        last = now
    }

    /// Reports stages that ran at the same time, each with its own time, then the wall time of the group under the
    /// joined names ("schema | model").
    mutating func record(_ stages: [(String, Double)]) {
        guard let report else { return }
        for (stage, seconds) in stages { report(stage, seconds) }
        lap(stages.map(\.0).joined(separator: " | "))
    }
}
