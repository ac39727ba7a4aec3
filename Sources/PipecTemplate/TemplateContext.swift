import PipecDiagnostics

/// The SQL dialect `sql_literal` and `sql_identifier` quote for (the dialect of the resource a template runs on).
public enum SQLDialect: String, Sendable, CaseIterable {
    case postgres, clickhouse, sqlite, athena, generic
}

/// Loads templates named by `{% include 'x.sql' %}` (names relative to `templates/`). Throw a diagnostic with
/// code E508 and no location for "not found"; the engine points it at the include.
public protocol TemplateLoader: Sendable {
    func load(_ name: String) throws(TemplateError) -> Template
}

/// Guards against runaway templates. Exceeding one is error E510.
public struct TemplateLimits: Sendable, Hashable {
    /// Nested macro calls plus includes.
    public var maxDepth: Int = 64
    /// Bytes of rendered output (also for each captured `{% set %}` block and macro result).
    public var maxOutputBytes: Int = 64 << 20
    /// Loop iterations over one render, all loops together.
    public var maxIterations: Int = 10_000_000
    /// Items `range()` may produce (Jinja's sandbox uses the same bound).
    public var maxRange: Int = 100_000

    public init() {}
}


/// What a render sees: the global variables and functions, the SQL dialect, and the include loader.
///
/// Build the run-wide part once (`AirflowContext.globals`, `ref`, `env` ...) and add per-task values with
/// `adding(_:)`, which copies only the dictionary's storage.
public struct TemplateContext: Sendable {
    public var globals: [String: TemplateValue] {
        didSet { table = GlobalTable(globals) }
    }
    public var dialect: SQLDialect
    public var loader: (any TemplateLoader)?
    public var limits: TemplateLimits
    /// `globals` prepared for lookups by precomputed hash; rebuilt whenever `globals` changes.
    private(set) var table: GlobalTable

    public init(globals: [String: TemplateValue], dialect: SQLDialect = .generic, loader: (any TemplateLoader)? = nil) {
        self.globals = globals
        self.dialect = dialect
        self.loader = loader
        self.limits = TemplateLimits()
        self.table = GlobalTable(globals)
    }

    /// This context with `more` added; entries in `more` win over existing ones (a task's `item` over the run's).
    public func adding(_ more: [String: TemplateValue]) -> TemplateContext {
        var copy = self
        copy.globals.merge(more) { _, new in new }
        return copy
    }

    /// This context rendering for another dialect.
    public func with(dialect: SQLDialect) -> TemplateContext {
        var copy = self
        copy.dialect = dialect
        return copy
    }
}

/// Templates held in memory by name (tests, inline SQL in specs).
public struct InMemoryTemplateLoader: TemplateLoader {
    public var templates: [String: Template]

    public init(_ templates: [String: Template]) {
        self.templates = templates
    }

    /// Parses each source with origin `templates/<name>`.
    public init(sources: [String: String], directory: String = "templates") throws(TemplateError) {
        var parsed: [String: Template] = [:]
        for (name, source) in sources {
            parsed[name] = try Template.parse(source, origin: .file(directory + "/" + name))
        }
        self.templates = parsed
    }

    public func load(_ name: String) throws(TemplateError) -> Template {
        guard let t = templates[name] else {
            throw TemplateError(.error(TemplateErrorCode.include, "template '\(name)' not found", at: nil,
                                       help: DidYouMean.help(name, from: templates.keys)))
        }
        return t
    }
}
