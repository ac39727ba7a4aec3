import PipecDiagnostics
@testable import PipecTemplate
import Testing

@Suite("Static analysis without rendering")
struct StaticAnalysisTests {
    @Test func staticCalls() throws {
        let source = """
        SELECT * FROM {{ ref('silver.events') }} e
        JOIN {{ ref(params.other) }} o ON {{ interval_filter('e.event_time') }}
        {% for ref in ['x'] %}{{ ref }}{% endfor %}{{ source('raw', schema='lake') }}
        """
        let t = try Template.parse(source, origin: TemplateOrigin(file: "specs/p.yaml", line: 3, column: 10, indent: 4))
        let refs = t.staticCalls(to: "ref")
        #expect(refs.count == 2)
        #expect(refs[0].arguments == ["silver.events"])
        #expect(refs[0].location == SourceLocation(file: "specs/p.yaml", line: 3, column: 27, length: 3))
        #expect(refs[1].arguments == [nil])
        #expect(refs[1].location == SourceLocation(file: "specs/p.yaml", line: 4, column: 13, length: 3))
        #expect(t.staticCalls(to: "interval_filter").map(\.arguments) == [["e.event_time"]])
        let sources = t.staticCalls(to: "source")
        #expect(sources.first?.arguments == ["raw"])
        #expect(sources.first?.keywords == ["schema": "lake"])
    }

    @Test func callsInsideMacrosIncludesAndFilters() throws {
        let t = try Template.parse("{% macro m() %}{{ ref('a') }}{% endmacro %}{% if x %}{{ ref('b') | upper }}{% endif %}{% set y = ref('c') %}",
                                   origin: .file("t.sql"))
        #expect(t.staticCalls(to: "ref").compactMap { $0.arguments.first ?? nil } == ["a", "b", "c"])
    }

    @Test func staticPaths() throws {
        let t = try Template.parse("{{ tasks.load.rows }} {{ tasks['fetch_x'].status }} {{ tasks.load.headers.get('Rows') }} {{ other.load }}",
                                   origin: .file("t.sql"))
        let paths = t.staticPaths(from: "tasks")
        #expect(paths.map(\.components) == [["load", "rows"], ["fetch_x", "status"], ["load", "headers"]])
        #expect(paths[0].location == SourceLocation(file: "t.sql", line: 1, column: 4, length: 15))
    }

    @Test func globalNameUses() throws {
        let t = try Template.parse("{% set a = 1 %}{{ a }}{{ ds }}{% for x in xs %}{{ x }}{{ loop.index }}{% endfor %}{% macro m(p) %}{{ p }}{{ q }}{% endmacro %}",
                                   origin: .file("t.sql"))
        #expect(t.globalNameUses().map(\.name) == ["ds", "xs", "q"])
    }

    @Test func templateKeepsSourceAndOrigin() throws {
        let origin = TemplateOrigin(file: "templates/x.sql", line: 1, column: 1, indent: 0)
        let t = try Template.parse("SELECT 1", origin: origin)
        #expect(t.source == "SELECT 1")
        #expect(t.origin == origin)
        #expect(TemplateOrigin.file("a.sql") == TemplateOrigin(file: "a.sql", line: 1, column: 1, indent: 0))
    }
}

@Suite("Limits and concurrency")
struct LimitsTests {
    @Test func macroRecursionIsBounded() throws {
        let d = try #require(failure("{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}"))
        #expect(d.code == "E510")
        #expect(d.message == "macro calls and includes nest deeper than 64")
    }

    @Test func outputSizeIsBounded() {
        var limits = TemplateLimits()
        limits.maxOutputBytes = 1000
        #expect(failure("{% for i in range(1000) %}xxxxxxxxxx{% endfor %}", limits: limits)?.code == "E510")
        #expect(failure("{{ 'x' * 100000000 }}")?.code == "E510")
    }

    @Test func doublingAValueIsBounded() {
        var limits = TemplateLimits()
        limits.maxOutputBytes = 1 << 16
        #expect(failure("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", limits: limits)?.code == "E510")
        #expect(failure("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s | replace('x', 'xx') %}{% endfor %}", limits: limits)?.code == "E510")
        #expect(failure("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s.replace('x', 'xx') %}{% endfor %}", limits: limits)?.code == "E510")
        #expect(failure("{% set ns = namespace(s=[1]) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}", limits: limits)?.code == "E510")
        #expect(failure("{{ 'x' * 100000000000000000 }}")?.code == "E510")
    }

    @Test func doublingAValueIsBoundedByDefault() {
        #expect(failure("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}")?.code == "E510")
    }

    @Test func loopsAreBounded() {
        var limits = TemplateLimits()
        limits.maxIterations = 1000
        #expect(failure("{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}", limits: limits)?.code == "E510")
        #expect(failure("{{ range(1000000) | length }}")?.message == "range() would produce 1000000 items; at most 100000 are allowed")
    }

    @Test func contextOverlays() throws {
        let base = TemplateContext(globals: ["ds": "2025-03-01", "item": "a"], dialect: .postgres)
        let task = base.adding(["item": "b", "extra": 1])
        let t = try Template.parse("{{ ds }} {{ item }} {{ extra is defined }} {{ 'x' | sql_literal }}", origin: .file("t.sql"))
        #expect(try t.render(base) == "2025-03-01 a False 'x'")
        #expect(try t.render(task) == "2025-03-01 b True 'x'")
        var mutated = base
        mutated.globals["ds"] = "2025-03-02"
        #expect(try t.render(mutated.with(dialect: .clickhouse)) == "2025-03-02 a False 'x'")
    }

    @Test func concurrentRendersOfOneTemplate() async throws {
        let t = try Template.parse("{% set ns = namespace(n=0) %}{% for i in range(50) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }} {{ x }}",
                                   origin: .file("t.sql"))
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask { try t.render(TemplateContext(globals: ["x": .int(i)])) }
            }
            var all: [String] = []
            for try await r in group { all.append(r) }
            return all.sorted()
        }
        #expect(results == (0..<8).map { "1225 \($0)" })
    }
}
