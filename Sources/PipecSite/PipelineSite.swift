import PipecModel
import PipecSchedule

/// One pipeline's part of the site, as input: the checked model, the run whose rendered SQL the pages show, and
/// the history from the state store (nil when there is none).
public struct PipelineSite: Sendable {
    public var pipeline: Pipeline
    public var run: RunTimes
    /// Why `run` is not the run asked for (e.g. the pipeline has no run on that ds), shown on the pages.
    public var runNote: String?
    public var history: RunHistory?
    /// Secrets to mask wherever text from the spec or the store is shown.
    public var redactor: Redactor

    public init(pipeline: Pipeline, run: RunTimes, runNote: String? = nil, history: RunHistory?, redactor: Redactor) {
        self.pipeline = pipeline
        self.run = run
        self.runNote = runNote
        self.history = history
        self.redactor = redactor
    }
}
