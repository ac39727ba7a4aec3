import ArgumentParser
import PipecModel

/// `pipec schema`: the JSON Schema of the spec language, generated from the definitions the validator uses.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the spec language (for editors and yaml-language-server)."
    )

    func run() throws {
        Terminal.out(JSONSchemaEmitter.document().serialized())
    }
}
