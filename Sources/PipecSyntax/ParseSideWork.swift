/// Work done on the tree builder's thread while it waits for libyaml. On a large file the builder needs about half
/// of the time libyaml takes to produce its events, and the rest of its core would sit idle; a later stage can hand
/// it work that only needs the scalars seen so far (pipec parses the templates among them).
public protocol ParseSideWork: AnyObject, Sendable {
    /// Only scalars whose text holds this byte are noted (most scalars of a spec are short names and numbers, and
    /// the builder rules them out without building anything).
    var scalarMarker: UInt8 { get }
    /// Told of every scalar holding `scalarMarker` as it is read, on the builder's thread: it should only take note.
    func noteScalar(_ scalar: Scalar)
    /// Does one small piece of the work noted so far; false when none is left. Called on the builder's thread.
    func step() -> Bool
}
