import Testing
@testable import PipecModel

@Suite struct FlatListsTests {
    @Test func listsAppendedInTurnsKeepTheirOwnOrder() {
        var lists = FlatLists<String>(owners: 2)
        let a = lists.addOwner(), b = lists.addOwner(), empty = lists.addOwner()
        for (owner, value) in [(a, "a1"), (b, "b1"), (a, "a2"), (b, "b2"), (a, "a3")] { lists.append(value, to: owner) }
        #expect(Array(lists.list(of: a)) == ["a1", "a2", "a3"])
        #expect(Array(lists.list(of: b)) == ["b1", "b2"])
        #expect(lists.list(of: empty).isEmpty && Array(lists.list(of: empty)).isEmpty)
        #expect(lists.contains(b, where: { $0 == "b2" }))
        #expect(!lists.contains(b, where: { $0 == "a1" }))
        #expect(Array(lists.emptyList).isEmpty)
    }
}
