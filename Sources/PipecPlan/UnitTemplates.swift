import PipecDiagnostics
import PipecModel
import PipecTemplate

/// Renders the templates of one unit for one run, the way `pipec render` does (`UnitRendering`), and keeps track
/// of the task outputs they read: those are only known while applying.
struct UnitTemplates {
    let unit: UnitID
    let context: TemplateContext
    let redactor: Redactor
    /// Where `${env:...}` in rendered text is filled from (apply, `--resolve`); nil leaves references as written.
    let environment: [String: String]?
    /// Task outputs (`task.output`) read by rendered text of this unit, in the order first met.
    private(set) var runtimeOutputs: [String] = []

    init(unit: UnitID, env: RenderEnvironment, redactor: Redactor) {
        self.unit = unit
        self.context = env.context(for: unit)
        self.redactor = redactor
        self.environment = env.environment
    }

    /// The rendered text, secrets masked. Outputs of upstream tasks render as `<tasks.NAME.OUTPUT>` markers and
    /// are recorded in `runtimeOutputs`.
    mutating func render(_ text: TemplateText) throws(PlanFailure) -> String {
        let template = try parse(text)
        for output in Self.outputs(of: template) where !runtimeOutputs.contains(output) { runtimeOutputs.append(output) }
        let rendered: String
        do throws(TemplateError) {
            rendered = try template.render(context)
        } catch {
            throw PlanFailure(error.diagnostic)
        }
        guard let environment else { return redactor.redact(rendered) }
        switch EnvironmentText.resolve(rendered, environment: environment) {
        case .success(let filled): return redactor.redact(filled)
        case .failure(let unset): throw PlanFailure(EnvironmentText.unsetDiagnostic(unset, in: text, owner: unit.description))
        }
    }

    /// The rendered text of SQL pipec embeds into a statement of its own; anything but exactly one statement
    /// (a param that closes the wrapper and starts another) is a compile error at the text (`OneStatement`).
    mutating func renderStatement(_ text: TemplateText, _ dialect: Dialect, _ role: OneStatement.Role) throws(PlanFailure) -> String {
        let sql = try render(text)
        if let problem = OneStatement.problem(sql, backslashEscapes: dialect.backslashEscapes, role: role, at: text.location) {
            throw PlanFailure(problem)
        }
        return sql
    }

    /// Text the executor may evaluate late (`when:`, notify messages): rendered now unless it reads task
    /// outputs, in which case the template itself goes into the plan.
    mutating func planText(_ text: TemplateText) throws(PlanFailure) -> PlanText {
        let template = try parse(text)
        let outputs = Self.outputs(of: template)
        guard !outputs.isEmpty else { return .rendered(try render(text)) }
        return .deferred(DeferredTemplate(template: text.text, outputs: outputs.sorted(), file: text.origin.file, line: text.origin.line,
                                          column: text.origin.column, indent: text.origin.indent))
    }

    private func parse(_ text: TemplateText) throws(PlanFailure) -> Template {
        let origin = TemplateOrigin(file: text.origin.file, line: text.origin.line, column: text.origin.column, indent: text.origin.indent)
        do throws(TemplateError) {
            return try Template.parse(text.text, origin: origin)
        } catch {
            throw PlanFailure(error.diagnostic)
        }
    }

    /// `tasks.NAME.OUTPUT` paths a template reads, as `NAME.OUTPUT` (or `NAME` alone).
    static func outputs(of template: Template) -> [String] {
        var out: [String] = []
        for path in template.staticPaths(from: "tasks") {
            let name = path.components.prefix(2).joined(separator: ".")
            if !out.contains(name) { out.append(name) }
        }
        return out
    }
}

/// A compile error with its diagnostic (a template that fails to render, a strategy that cannot be lowered).
struct PlanFailure: Error {
    var diagnostic: Diagnostic

    init(_ diagnostic: Diagnostic) {
        self.diagnostic = diagnostic
    }
}
