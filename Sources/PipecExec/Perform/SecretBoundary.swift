import Foundation
import PipecModel

/// The one place text leaves an apply — log lines, state rows, alerts and notifications — with every secret the
/// run knows masked: the spec's (the CLI's `Redactor`), plus what turns up while running (a `--state` URL's
/// password, request headers rendered for an interval). Text a server echoes back goes through here like any other.
public final class SecretBoundary: @unchecked Sendable {
    private let lock = NSLock()
    private let base: @Sendable (String) -> String
    private var learned = Redactor(secrets: [])

    public init(_ base: @escaping @Sendable (String) -> String) {
        self.base = base
    }

    /// Masks `values` from now on.
    public func learn(_ values: [String]) {
        let values = values.filter { $0.count >= 4 }
        guard !values.isEmpty else { return }
        lock.withLock { learned = learned.adding(values) }
    }

    public func redact(_ text: String) -> String {
        let extra = lock.withLock { learned }
        return extra.redact(base(text))
    }
}
