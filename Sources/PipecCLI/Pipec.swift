import ArgumentParser

/// `pipec`: a declarative data-pipeline compiler. Each subcommand is an adapter from flags to library calls.
public struct Pipec: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pipec",
        abstract: "Compile declarative pipeline specs into typed, dry-runnable plans.",
        version: "0.1.0",
        subcommands: [ValidateCommand.self, RenderCommand.self, CompileCommand.self, DiffCommand.self, LineageCommand.self, PlanCommand.self, ApplyCommand.self, EmitCommand.self, RunCommand.self, RunsCommand.self, DocsCommand.self, SchemaCommand.self]
    )

    public init() {}
}
