import ArgumentParser
import PipecModel

/// `pipec schema`: the JSON Schema of the spec language, generated from the definitions the validator uses.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the spec language (for editors and yaml-language-server)."
    )

    /// The schema is JSON, so JSON is the one format (accepted, as CLI.md says `--format json` is everywhere).
    enum SchemaFormat: String, ExpressibleByArgument { case json }

    @Option(help: "Output format: json (the only one: a JSON Schema is JSON).")
    var format: SchemaFormat = .json

    func run() throws {
        Terminal.out(JSONSchemaEmitter.document().serialized())
    }
}
