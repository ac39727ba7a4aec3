@testable import PipecTemplate
import Testing

@Suite("Statements")
struct StatementTests {
    let g: [String: TemplateValue] = ["cols": ["a", "b", "c"], "d": ["k": "v", "x": 1], "flag": true]

    @Test func ifElifElse() throws {
        #expect(try render("{% if 0 %}a{% elif [] %}b{% elif 'x' %}c{% else %}d{% endif %}") == "c")
        #expect(try render("{% if flag %}yes{% else %}no{% endif %}", g) == "yes")
        #expect(try render("{% if none %}a{% else %}b{% endif %}") == "b")
    }

    @Test func forWithLoopVariables() throws {
        #expect(try render("{% for c in cols %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }}:{{ c }}{% if not loop.last %},{% endif %}{% endfor %}", g)
                == "10TrueFalse33:a,21FalseFalse32:b,32FalseTrue31:c")
        #expect(try render("{% for i in [1, 2, 3] %}{{ loop.cycle('o', 'e') }}{{ loop.revindex0 }}{% endfor %}") == "o2e1o0")
        #expect(try render("{% for i in [1, 2, 3] %}{% if not loop.first %}{{ loop.previtem }}{% endif %}{% if not loop.last %}{{ loop.nextitem }}{% endif %};{% endfor %}") == "2;13;2;")
    }

    @Test func forElseAndFilter() throws {
        #expect(try render("{% for x in [] %}x{% else %}empty{% endfor %}") == "empty")
        #expect(try render("{% for i in range(10) if i is odd %}{{ i }}{{ loop.last }} {% endfor %}") == "1False 3False 5False 7False 9True ")
        #expect(try render("{% for i in [2, 4] if i > 5 %}x{% else %}none{% endfor %}") == "none")
    }

    @Test func forUnpacksAndIteratesDicts() throws {
        #expect(try render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", g) == "k=v;x=1;")
        #expect(try render("{% for k in d %}{{ k }}{% endfor %} {% for ch in 'ab' %}[{{ ch }}]{% endfor %}", g) == "kx [a][b]")
        #expect(try render("{% for a, b in [(1, 2), (3, 4)] %}{{ a + b }}{% endfor %}") == "37")
    }

    @Test func nestedLoopsHaveTheirOwnLoopObject() throws {
        #expect(try render("{% for i in [1, 2] %}{% for j in 'ab' %}{{ loop.index }}{{ i }}{{ j }} {% endfor %}{{ loop.index }}|{% endfor %}")
                == "11a 21b 1|12a 22b 2|")
        #expect(try render("{% for i in [1, 2] %}{% set outer = loop %}{% for j in [1] %}{{ outer.index }}{% endfor %}{% endfor %}") == "12")
    }

    @Test func setInsideALoopDoesNotLeak() throws {
        #expect(try render("{% set x = 1 %}{% for i in [1, 2] %}{% set x = x + i %}[{{ x }}]{% endfor %}{{ x }}") == "[2][3]1")
        #expect(try render("{% for i in [1, 2] %}{% set y = i %}{% endfor %}{{ y is defined }}") == "False")
    }

    @Test func setAtTopLevelAndInIf() throws {
        #expect(try render("{% set a, b = 1, 2 %}{{ a }}{{ b }}{% if true %}{% set c = 3 %}{% endif %}{{ c }}") == "123")
        #expect(try render("{{ x }}{% set x = 2 %}{{ x }}", ["x": 1]) == "12")
    }

    @Test func namespaceCarriesValuesOutOfLoops() throws {
        #expect(try render("{% set ns = namespace(total=0) %}{% for i in range(5) %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}") == "10")
    }

    @Test func setBlockAndFilterBlock() throws {
        #expect(try render("{% set s %}captured {{ 1 + 1 }}{% endset %}[{{ s }}]{% set t | upper %}x{% endset %}{{ t }}") == "[captured 2]X")
        #expect(try render("{% filter upper %}up {{ 'a' }}{% endfilter %}") == "UP A")
    }

    @Test func macros() throws {
        #expect(try render("{% macro col(name, alias=none) %}{{ name }}{% if alias %} AS {{ alias }}{% endif %}{% endmacro %}{{ col('a') }}, {{ col('b', 'c') }}, {{ col(name='d', alias='e') }}")
                == "a, b AS c, d AS e")
        #expect(try render("{% macro m(a, b=a ~ '!') %}{{ a }}{{ b }}{% endmacro %}{{ m('q') }}") == "qq!")
        #expect(try render("{% macro rec(n) %}{% if n > 0 %}{{ n }}{{ rec(n - 1) }}{% endif %}{% endmacro %}{{ rec(3) }}") == "321")
        #expect(try render("{% macro m(a) %}{{ a is defined }}{% endmacro %}{{ m() }}") == "False")
    }

    @Test func macrosSeeTopLevelVariablesAtCallTime() throws {
        #expect(try render("{% set x = 5 %}{% macro m() %}{{ x }}{% endmacro %}{{ m() }}{% set x = 6 %}{{ m() }}") == "56")
        #expect(try render("{% macro m() %}{{ ds }}{% endmacro %}{{ m() }}", ["ds": "2025-03-01"]) == "2025-03-01")
    }

    @Test func macroResultsCompose() throws {
        #expect(try render("{% macro q(x) %}'{{ x }}'{% endmacro %}{{ q('a') ~ q('b') }} {{ q('c') | upper }}") == "'a''b' 'C'")
    }

    @Test func include() throws {
        let loader = try InMemoryTemplateLoader(sources: [
            "common/where.sql": "WHERE d = '{{ ds }}'{% if extra is defined %} AND {{ extra }}{% endif %}",
            "cols.sql": "{% for c in cols %}{{ c }}{{ ',' if not loop.last }}{% endfor %}",
        ])
        #expect(try render("SELECT 1 {% include 'common/where.sql' %}", ["ds": "2025-03-01"], loader: loader) == "SELECT 1 WHERE d = '2025-03-01'")
        #expect(try render("{% set extra = 'x > 1' %}{% include 'common/where.sql' %}", ["ds": "D"], loader: loader) == "WHERE d = 'D' AND x > 1")
        #expect(try render("{% for cols in [['a', 'b']] %}{% include 'cols.sql' %}{% endfor %}", loader: loader) == "a,b")
        #expect(try render("a{% include 'missing.sql' ignore missing %}b", loader: loader) == "ab")
        #expect(try render("{% include ['nope.sql', 'cols.sql'] %}", ["cols": ["z"]], loader: loader) == "z")
    }

    @Test func doEvaluatesAndDiscards() throws {
        #expect(try render("{% do 1 + 1 %}x") == "x")
    }
}
