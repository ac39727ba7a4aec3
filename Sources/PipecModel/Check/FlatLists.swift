/// Short lists, one per owner, in three flat arrays instead of an array each. A 10,000-unit pipeline's graph has
/// tens of thousands of such lists (each unit's edges, reads and writes, each table's producers), nearly all of one
/// or two elements; an array apiece made allocating and freeing them a cost of its own.
struct FlatLists<Element> {
    private var elements: [Element] = []
    /// The next element of the same list, -1 at its end.
    private var next: [Int32] = []
    /// Each owner's first and last element, -1 while its list is empty.
    private var head: [Int32] = []
    private var tail: [Int32] = []

    init(owners capacity: Int = 0) {
        head.reserveCapacity(capacity)
        tail.reserveCapacity(capacity)
        elements.reserveCapacity(capacity)
        next.reserveCapacity(capacity)
    }

    /// Adds an owner with an empty list; its number.
    mutating func addOwner() -> Int {
        head.append(-1)
        tail.append(-1)
        return head.count - 1
    }

    mutating func append(_ element: Element, to owner: Int) {
        let index = Int32(elements.count)
        elements.append(element)
        next.append(-1)
        if tail[owner] < 0 { head[owner] = index } else { next[Int(tail[owner])] = index }
        tail[owner] = index
    }

    /// Whether the owner's list holds an element that satisfies `predicate`. Read in place, so an append that follows
    /// does not find the arrays shared with a list still alive.
    func contains(_ owner: Int, where predicate: (Element) -> Bool) -> Bool {
        var at = head[owner]
        while at >= 0 {
            if predicate(elements[Int(at)]) { return true }
            at = next[Int(at)]
        }
        return false
    }

    /// Changes the first element of the owner's list that satisfies `predicate`, in place.
    mutating func update(_ owner: Int, where predicate: (Element) -> Bool, _ change: (inout Element) -> Void) {
        var at = head[owner]
        while at >= 0 {
            if predicate(elements[Int(at)]) { return change(&elements[Int(at)]) }
            at = next[Int(at)]
        }
    }

    /// The owner's elements, in the order appended. The list shares the arrays: append only once it is gone.
    func list(of owner: Int) -> List { List(lists: self, first: head[owner]) }

    /// A list with nothing in it (for an owner that was never added).
    var emptyList: List { List(lists: self, first: -1) }

    struct List: Sequence {
        fileprivate let lists: FlatLists
        fileprivate let first: Int32

        func makeIterator() -> Iterator { Iterator(lists: lists, at: first) }

        var isEmpty: Bool { first < 0 }

        struct Iterator: IteratorProtocol {
            fileprivate let lists: FlatLists
            fileprivate var at: Int32

            mutating func next() -> Element? {
                guard at >= 0 else { return nil }
                defer { at = lists.next[Int(at)] }
                return lists.elements[Int(at)]
            }
        }
    }
}
