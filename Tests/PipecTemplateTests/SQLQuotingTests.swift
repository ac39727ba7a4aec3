import PipecSchedule
@testable import PipecTemplate
import Testing

@Suite("sql_literal and sql_identifier")
struct SQLQuotingTests {
    let g: [String: TemplateValue] = [
        "s": "it's a\\b", "n": 42, "f": 1.5, "t": true, "nothing": .none,
        "day": .date(DateValue(year: 2025, month: 3, day: 1)),
        "at": .datetime(DateTimeValue(instant: instant("2025-03-01T03:00:00Z"))),
        "local": .datetime(DateTimeValue(instant: instant("2025-03-01T03:00:00Z"), zone: TimeZoneRef(name: "Europe/Amsterdam")!)),
        "xs": [1, "a", .none],
    ]

    @Test(arguments: [
        (SQLDialect.postgres, #"'it''s a\b' 42 1.5 TRUE NULL '2025-03-01' '2025-03-01 03:00:00' '2025-03-01 03:00:00' (1, 'a', NULL)"#),
        (.sqlite, #"'it''s a\b' 42 1.5 1 NULL '2025-03-01' '2025-03-01 03:00:00' '2025-03-01 03:00:00' (1, 'a', NULL)"#),
        (.clickhouse, #"'it\'s a\\b' 42 1.5 1 NULL '2025-03-01' '2025-03-01 03:00:00' '2025-03-01 03:00:00' (1, 'a', NULL)"#),
        (.athena, #"'it''s a\b' 42 1.5 TRUE NULL DATE '2025-03-01' TIMESTAMP '2025-03-01 03:00:00' TIMESTAMP '2025-03-01 03:00:00' (1, 'a', NULL)"#),
        (.generic, #"'it''s a\b' 42 1.5 TRUE NULL '2025-03-01' '2025-03-01 03:00:00' '2025-03-01 03:00:00' (1, 'a', NULL)"#),
    ])
    func literals(_ dialect: SQLDialect, _ expected: String) throws {
        let source = "{{ s | sql_literal }} {{ n | sql_literal }} {{ f | sql_literal }} {{ t | sql_literal }} {{ nothing | sql_literal }} {{ day | sql_literal }} {{ at | sql_literal }} {{ local | sql_literal }} {{ xs | sql_literal }}"
        #expect(try render(source, g, dialect: dialect) == expected)
    }

    @Test func falseAndEmptyList() throws {
        #expect(try render("{{ false | sql_literal }} {{ [] | sql_literal }}", dialect: .postgres) == "FALSE (NULL)")
        #expect(try render("{{ false | sql_literal }}", dialect: .clickhouse) == "0")
    }

    @Test(arguments: [
        (SQLDialect.postgres, #""silver"."fact_events" "we""ird""#),
        (.sqlite, #""silver"."fact_events" "we""ird""#),
        (.athena, #""silver"."fact_events" "we""ird""#),
        (.generic, #""silver"."fact_events" "we""ird""#),
        (.clickhouse, #"`silver`.`fact_events` `we"ird`"#),
    ])
    func identifiers(_ dialect: SQLDialect, _ expected: String) throws {
        #expect(try render(#"{{ 'silver.fact_events' | sql_identifier }} {{ 'we"ird' | sql_identifier }}"#, dialect: dialect) == expected)
    }

    @Test func clickhouseBackquoteEscaping() throws {
        #expect(try render("{{ 'a`b' | sql_identifier }}", dialect: .clickhouse) == "`a\\`b`")
    }

    @Test func errors() {
        #expect(failure("{{ {'a': 1} | sql_literal }}")?.code == "E506")
        #expect(failure("{{ ('nan' | float) | sql_literal }}")?.code == "E509")
        #expect(failure("{{ 'a..b' | sql_identifier }}")?.code == "E509")
        #expect(failure("{{ 1 | sql_identifier }}")?.code == "E506")
        #expect(failure("{{ [[1]] | sql_literal }}")?.code == "E506")
    }

    @Test func publicHelpers() throws {
        #expect(try SQLQuoting.literal("o'k", dialect: .clickhouse) == #"'o\'k'"#)
        #expect(try SQLQuoting.identifier("a.b", dialect: .postgres) == #""a"."b""#)
        #expect(throws: TemplateFunctionError.self) { try SQLQuoting.identifier("", dialect: .postgres) }
    }
}
