import PipecModel
import Testing

/// `${env:...}` in text rendered from templates: filled when an environment is given, refused when unset.
@Suite struct EnvironmentTextTests {
    @Test func fillsReferencesAndDefaults() throws {
        let env = ["A": "1", "EMPTY": ""]
        #expect(try EnvironmentText.resolve("x=${env:A}&y=${env:B:-two}&z=${env:EMPTY:-no}", environment: env).get() == "x=1&y=two&z=")
    }

    @Test func leavesOtherDollarBracesAlone() throws {
        // A shell snippet or a malformed reference in SQL is not an environment reference.
        #expect(try EnvironmentText.resolve("echo ${HOME} ${env:} ${env:1x} $$ {", environment: [:]).get() == "echo ${HOME} ${env:} ${env:1x} $$ {")
    }

    @Test func anUnsetVariableWithoutDefaultIsNamed() {
        #expect(EnvironmentText.resolve("a ${env:SET} ${env:NOPE}", environment: ["SET": "s"]) == .failure(UnsetVariable(name: "NOPE")))
        #expect(EnvironmentText.names(in: "${env:A} ${env:B:-x} ${nope}") == ["A", "B"])
    }
}
