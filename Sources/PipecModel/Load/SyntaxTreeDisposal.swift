import Foundation
import PipecSyntax

/// Keeps the syntax tree once the model has been read from it, so it can be freed where a core has time to spare
/// (beside the template checks) instead of when loading returns: a large spec's tree holds tens of thousands of
/// scalar texts long enough to need freeing one by one.
///
/// Touched by one thread at a time: filled before the checks start, emptied by one of them.
final class SyntaxTreeDisposal: @unchecked Sendable {
    private var root: Node?
    private var expanded: [[ForEachExpansion.Expanded]] = []
    private var parsedRoot: Node?

    /// Takes the last references to the tree: the expanded root, the expanded entries and the root as parsed.
    func keep(_ root: Node, _ expanded: [[ForEachExpansion.Expanded]], _ parsedRoot: Node) {
        self.root = root
        self.expanded = expanded
        self.parsedRoot = parsedRoot
    }

    func free() {
        root = nil
        expanded = []
        parsedRoot = nil
    }
}

/// Hands the template checks' chunks to the thread of the semantic checks once that is done with its own work.
final class TemplateWorkHandoff: @unchecked Sendable {
    private let lock = NSLock()
    private var work: TemplateChecker.Work?

    func publish(_ work: TemplateChecker.Work) {
        lock.withLock { self.work = work }
    }

    /// Takes template chunks until none is left; nothing when the template checks have not been prepared yet (their
    /// own thread then does them all).
    func help() {
        lock.withLock { work }?.help()
    }
}
