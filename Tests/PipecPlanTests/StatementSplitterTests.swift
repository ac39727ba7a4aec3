@testable import PipecPlan
import PipecModel
import Testing

@Suite struct StatementSplitterTests {
    @Test func splitsAtTopLevelSemicolonsOnly() {
        let sql = """
            CREATE DATABASE IF NOT EXISTS db; -- first; still a comment
            INSERT INTO t VALUES ('a;b', "c;d", `e;f`); /* a; block */
            SELECT $$;$$, $tag$ ; $tag$;
            ;
            -- only a comment;
            """
        #expect(StatementSplitter.split(sql, backslashEscapes: false) == [
            "CREATE DATABASE IF NOT EXISTS db",
            "-- first; still a comment\nINSERT INTO t VALUES ('a;b', \"c;d\", `e;f`)",
            "/* a; block */\nSELECT $$;$$, $tag$ ; $tag$",
        ])
    }

    @Test func backslashEscapesDependOnTheDialect() {
        let sql = "SELECT 'it\\'s; fine'; SELECT 2"
        #expect(StatementSplitter.split(sql, backslashEscapes: true) == ["SELECT 'it\\'s; fine'", "SELECT 2"])
        // In standard SQL the backslash is a character and the quote closes the string.
        #expect(StatementSplitter.split("SELECT 'C:\\'; SELECT 2", backslashEscapes: false) == ["SELECT 'C:\\'", "SELECT 2"])
    }

    @Test func doubledQuotesStayInsideAndPositionalParametersAreNotQuotes() {
        #expect(StatementSplitter.split("SELECT 'a''b;c' WHERE x = $1; SELECT 3", backslashEscapes: false) == ["SELECT 'a''b;c' WHERE x = $1", "SELECT 3"])
    }
}
