import PipecDiagnostics
import Testing
@testable import PipecSyntax

@Suite struct KeyTableTests {
    private func root(_ yaml: String) throws -> Node {
        try #require(YAMLParser.parse(SourceFile(path: "k.yaml", text: yaml)).0)
    }

    @Test func findsShortAndLongKeysThatShareTheirFirstBytes() throws {
        let r = try root("on: a\npartition_by: b\npartition_key: c\n\"quoted\": d\n[1]: e\n")
        let table = KeyTable(["on", "partition_key", "partition_by", "quoted", "missing"])
        let values = table.values(in: r)
        #expect(values.map { $0?.text } == ["a", "c", "b", "d", nil])
        let keys = try #require(r.entries).map(\.key)
        #expect(keys.map(table.position) == [0, 2, 1, 3, nil])
    }

    @Test func aNodeThatIsNoMappingHasNoValues() throws {
        let r = try root("[on, off]\n")
        #expect(KeyTable(["on"]).values(in: r).map { $0 == nil } == [true])
        #expect(KeyTable(["on"]).position(of: try #require(r.items?.first)) == 0)
    }

    @Test func multiByteKeysAreComparedWhole() throws {
        let r = try root("größe: 1\ngrößer: 2\n")
        #expect(KeyTable(["größer", "größe"]).values(in: r).map { $0?.text } == ["2", "1"])
    }
}
