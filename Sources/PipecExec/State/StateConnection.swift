/// The little a state store needs from a database: statements with `?` parameters (never spliced into the SQL)
/// and small results. SQLite and PostgreSQL both provide it, so one `StateStore` serves both.
public protocol StateConnection: AnyObject, Sendable {
    /// Whether the database is PostgreSQL (placeholders become `$1, $2, ...`; a few types differ).
    var isPostgres: Bool { get }
    func run(_ sql: String, _ parameters: [String?]) throws
    func rows(_ sql: String, _ parameters: [String?]) throws -> [[String?]]
    /// Runs `body` in one transaction.
    func inTransaction(_ body: () throws -> Void) throws
}
