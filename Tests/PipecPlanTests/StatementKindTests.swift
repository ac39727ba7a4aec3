@testable import PipecPlan
import PipecModel
import Testing

/// Which last statement of a `sql` task gives the task its `value`.
@Suite struct StatementKindTests {
    @Test func queriesAreRecognisedAfterCommentsAndParentheses() {
        for sql in ["SELECT 42", "  select 1", "-- note\nSELECT 1", "/* c */ WITH x AS (SELECT 1) SELECT * FROM x", "(SELECT 1)", "VALUES (1)", "SHOW TABLES"] {
            #expect(StatementSplitter.isQuery(sql), "\(sql)")
        }
        for sql in ["INSERT INTO t SELECT 1", "DELETE FROM t", "CREATE TABLE t AS SELECT 1", "/* unterminated SELECT 1", "-- SELECT 1", "selectx 1"] {
            #expect(!StatementSplitter.isQuery(sql), "\(sql)")
        }
    }
}
