import PipecDiagnostics

/// SQL that pipec embeds into a statement of its own — a table build (`INSERT ... SELECT ... FROM (<sql>) AS src`),
/// a view's SELECT, a check's expression or query, a load's or export's query source, a sensor's query — must be
/// exactly one statement: a second one would run with the first (a param that closes the wrapper could drop a table).
/// `kind: sql` tasks are scripts and are split instead. Checked on the trial render at validate and on every render
/// with the run's values at compile and apply.
package enum OneStatement {
    /// What the SQL is, for the message.
    package enum Role: Sendable {
        case build, view, checkExpression, query, filter

        var words: String {
            switch self {
            case .build: return "the build's SQL"
            case .view: return "the view's SQL"
            case .checkExpression: return "the check's expression"
            case .query: return "the query"
            case .filter: return "the export's where filter"
            }
        }
    }

    /// nil when `sql` is exactly one statement, else the error at `location` (the spec value that holds the SQL).
    package static func problem(_ sql: String, backslashEscapes: Bool, role: Role, at location: SourceLocation?) -> Diagnostic? {
        let count = StatementSplitter.split(sql, backslashEscapes: backslashEscapes).count
        guard count != 1 else { return nil }
        let found = count == 0 ? "no statement" : "\(count) statements"
        return .error("E520", "\(role.words) renders as \(found); it must be exactly one statement", at: location,
                      help: count == 0 ? "write a SELECT" : "quote values with `| sql_literal` (names with `| sql_identifier`); run several statements in a `kind: sql` task")
    }
}

extension Dialect {
    /// Whether a backslash escapes the next character inside quotes (ClickHouse and Athena), for the splitter.
    package var backslashEscapes: Bool { self == .clickhouse || self == .athena }
}

extension Templates {
    /// How many of the leading texts of `of(task)` are SQL that must be one statement (a query source, a check's
    /// queries, an export's filter); an `sql` task's script and the texts after these are not.
    package static func oneStatementCount(_ task: Task) -> Int {
        switch task.body {
        case .sql, .notify: return 0
        case .load(let l):
            if case .query = l.source { return 1 }
            return 0
        case .export(let e):
            if case .table(_, nil) = e.source { return 0 }
            return 1
        case .sensor(let s):
            if case .sql = s.condition { return 1 }
            return 0
        case .check(let rule, _):
            if case .compare = rule { return 2 }
            return 1
        }
    }
}
