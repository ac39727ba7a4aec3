import PipecDiagnostics
@testable import PipecTemplate
import Testing

@Suite("Diagnostics")
struct DiagnosticsTests {
    let a = airflowGlobals()

    @Test func undefinedNameWithDidYouMean() throws {
        let d = try #require(failure("SELECT '{{ dss }}'", a))
        #expect(d.code == "E502")
        #expect(d.message == "'dss' is undefined")
        #expect(d.help == "did you mean 'ds'?")
        #expect(d.location == SourceLocation(file: "t.sql", line: 1, column: 12, length: 3))
    }

    @Test func locationsInsideAnEmbeddedTemplate() throws {
        // A template that starts at line 10, column 12 of a YAML file (a quoted scalar): the first line is offset.
        let origin = TemplateOrigin(file: "specs/x.yaml", line: 10, column: 12, indent: 0)
        let d = try #require(failure("SELECT {{ dss }}", a, origin: origin))
        #expect(d.location == SourceLocation(file: "specs/x.yaml", line: 10, column: 22, length: 3))
    }

    @Test func blockScalarGolden() throws {
        let yaml = """
        tables:
          x:
            build:
              sql: |
                SELECT 1
                WHERE d = '{{ dss }}'

        """
        let template = "SELECT 1\nWHERE d = '{{ dss }}'\n"
        let d = try #require(failure(template, a, origin: TemplateOrigin(file: "specs/x.yaml", line: 5, column: 9, indent: 8)))
        let files = SourceFiles()
        files.add(SourceFile(path: "specs/x.yaml", text: yaml))
        let text = DiagnosticRenderer(sources: files).render(d)
        #expect(text == """
        specs/x.yaml:6:23: error: 'dss' is undefined [E502]
            |
          6 |         WHERE d = '{{ dss }}'
            |                       ^^^
           = help: did you mean 'ds'?

        """)
    }

    @Test func unknownAttributeAndKey() throws {
        let g = airflowGlobals(params: ["table": "events"])
        let attr = try #require(failure("{{ params.tabel }}", g))
        #expect(attr.code == "E502")
        #expect(attr.message == "'params' has no key or attribute 'tabel'")
        #expect(attr.help == "did you mean 'table'?")
        #expect(attr.location?.column == 11)
        let macro = try #require(failure("{{ macros.ds_ad(ds, 1) }}", g))
        #expect(macro.message == "'macros' has no attribute 'ds_ad'")
        #expect(macro.help == "did you mean 'ds_add'?")
        let method = try #require(failure("{{ ds.uper() }}", g))
        #expect(method.message == "'ds' has no attribute 'uper'")
        #expect(method.help == "did you mean 'upper'?")
        #expect(failure("{{ logical_date.yeer }}", g)?.help == "did you mean 'year'?")
        #expect(failure("{{ params['nope'] }}", g)?.message == "'params' has no key 'nope'")
        #expect(failure("{{ upper_of.x }}", ["upper_of": .none])?.message == "'upper_of' is None and has no attribute 'x'")
    }

    @Test func unknownFilterAndTestAreParseErrors() throws {
        let f = try #require(failure("{{ ds }}\n{{ ds | uper }}", a))
        #expect(f.code == "E503")
        #expect(f.message == "unknown filter 'uper'")
        #expect(f.help == "did you mean 'upper'?")
        #expect(f.location == SourceLocation(file: "t.sql", line: 2, column: 9, length: 4))
        let t = try #require(failure("{{ x is defind }}"))
        #expect(t.code == "E504")
        #expect(t.help == "did you mean 'defined'?")
    }

    @Test func argumentErrors() throws {
        #expect(failure("{{ ds | upper(1) }}", a)?.message == "upper() takes no arguments (1 given)")
        let missing = try #require(failure("{{ macros.ds_add(ds) }}", a))
        #expect(missing.code == "E505")
        #expect(missing.message == "ds_add() missing required argument 'days'")
        #expect(missing.location?.column == 11)
        let keyword = try #require(failure("{{ logical_date.add(day=1) }}", a))
        #expect(keyword.message == "add() got an unexpected keyword argument 'day'")
        #expect(keyword.help == "did you mean 'days'?")
        #expect(failure("{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}")?.message == "macro 'm' takes at most 1 argument (2 given)")
        #expect(failure("{% macro m(a) %}{% endmacro %}{{ m(b=2) }}")?.code == "E505")
    }

    @Test func typeErrorsPointAtTheOperator() throws {
        let d = try #require(failure("{{ ds + 1 }}", a))
        #expect(d.code == "E506")
        #expect(d.message == "unsupported operand types for '+': 'str' and 'int'")
        #expect(d.location?.column == 7)
        #expect(failure("{% for x in 5 %}{% endfor %}")?.message == "'int' object is not iterable")
        #expect(failure("{{ 5() }}")?.message == "'int' object is not callable")
        #expect(failure("{{ 1 < 'a' }}")?.message == "'<' not supported between instances of 'int' and 'str'")
        #expect(failure("{{ ds.upper }}", a)?.message == "'upper' is a method of 'str'; call it as upper()")
        #expect(failure("{% set x = 1 %}{% set x.y = 2 %}")?.code == "E506")
    }

    @Test func valueErrors() {
        #expect(failure("{{ 1 / 0 }}")?.message == "division by zero")
        #expect(failure("{{ 9223372036854775807 + 1 }}")?.code == "E509")
        #expect(failure("{{ logical_date.in_timezone('Mars/Olympus') }}", a)?.code == "E509")
        #expect(failure("{{ macros.datetime(2025, 2, 30) }}", a)?.message == "day is out of range for month")
    }

    @Test func nativeFunctionErrors() throws {
        let ref = NativeFunction(name: "ref") { _, _ throws(TemplateFunctionError) in
            throw TemplateFunctionError("no table 'silver.x' in this pipeline", help: "did you mean 'silver.y'?")
        }
        let d = try #require(failure("SELECT *\nFROM {{ ref('silver.x') }}", ["ref": .function(ref)]))
        #expect(d.code == "E507")
        #expect(d.message == "ref(): no table 'silver.x' in this pipeline")
        #expect(d.help == "did you mean 'silver.y'?")
        #expect(d.location == SourceLocation(file: "t.sql", line: 2, column: 9, length: 3))
    }

    @Test func syntaxErrorsPointAtTheToken() throws {
        let unclosed = try #require(failure("SELECT\n{% if x %}\na"))
        #expect(unclosed.code == "E501")
        #expect(unclosed.message == "unclosed '{% if %}': expected '{% elif %}' or '{% else %}' or '{% endif %}' before the end of the template")
        #expect(unclosed.location == SourceLocation(file: "t.sql", line: 2, column: 4, length: 2))
        #expect(failure("{% for x in y %}")?.message == "unclosed '{% for %}': expected '{% else %}' or '{% endfor %}' before the end of the template")
        let tag = try #require(failure("{% iff x %}{% endif %}"))
        #expect(tag.message == "unknown tag 'iff'")
        #expect(tag.help == "did you mean 'if'?")
        #expect(failure("{% endif %}")?.message == "unexpected '{% endif %}': no block is open")
        let wrong = try #require(failure("{% for x in y %}{% endif %}"))
        #expect(wrong.message == "unexpected '{% endif %}': the innermost open block is '{% for %}' at line 1")
        #expect(wrong.help == "close it with '{% endfor %}'")
        #expect(wrong.location?.column == 20)
        #expect(failure("{{ }}")?.message == "expected an expression inside '{{ }}'")
        let dangling = try #require(failure("{{ 1 + }}"))
        #expect(dangling.message == "expected an expression, found '}}'")
        #expect(dangling.location?.column == 8)
        let open = try #require(failure("a\n  {{ ds"))
        #expect(open.message == "unexpected end of template: '{{' has no matching '}}'")
        #expect(open.location == SourceLocation(file: "t.sql", line: 2, column: 3, length: 2))
        #expect(failure("{{ 'abc }}")?.message == "unterminated string literal")
        #expect(failure("{{ (1 }}")?.message == "unexpected '}', expected ')'")
        #expect(failure("{{ a ] }}")?.message == "unexpected ']'")
        #expect(failure("{# open")?.message == "unclosed comment: '{#' has no matching '#}'")
        #expect(failure("{% extends 'base.sql' %}")?.code == "E501")
        #expect(failure("{{ x $ }}")?.message == "unexpected character '$'")
    }

    @Test func includeErrors() throws {
        let loader = try InMemoryTemplateLoader(sources: ["a.sql": "{% include 'b.sql' %}", "b.sql": "{% include 'a.sql' %}",
                                                         "bad.sql": "x\n{{ nope }}"])
        let missing = try #require(failure("x {% include 'where.sql' %}", loader: loader))
        #expect(missing.code == "E508")
        #expect(missing.message == "template 'where.sql' not found")
        #expect(missing.location?.column == 6)
        #expect(failure("{% include 'a.sql' %}", loader: loader)?.message == "include cycle: a.sql -> b.sql -> a.sql")
        #expect(failure("{% include 'x.sql' %}")?.message == "cannot include templates here: no template loader is configured")
        let inner = try #require(failure("line1\n{% include 'bad.sql' %}", loader: loader))
        #expect(inner.location == SourceLocation(file: "templates/bad.sql", line: 2, column: 4, length: 4))
        #expect(inner.notes.first?.location == SourceLocation(file: "t.sql", line: 2, column: 4, length: 17))
    }

    @Test func strictUndefinedEverywhere() {
        #expect(failure("{% if nope %}{% endif %}")?.code == "E502")
        #expect(failure("{% for x in nope %}{% endfor %}")?.code == "E502")
        #expect(failure("{{ nope.x is defined }}")?.code == "E502")
        #expect(failure("{{ [] | first }}")?.code == "E502")
        #expect(failure("{% macro m(a) %}{{ a }}{% endmacro %}{{ m() }}")?.message == "'a' is undefined: the macro was called without this argument")
    }

    @Test func privateAttributesAreRefused() {
        #expect(failure("{{ ds.__class__ }}", a)?.message == "access to attribute '__class__' is not allowed")
    }

    @Test func messagesNeverContainRuntimeValues() {
        let secret = "s3cr3t-T0KEN"
        let g: [String: TemplateValue] = ["token": .string(secret), "d": ["a": 1], "n": 5]
        let cases = [
            "{{ token + 1 }}", "{{ d[token] }}", "{{ macros.ds_add(token, 1) }}", "{{ macros.ds_format(token, '%Y', '%Y') }}",
            "{{ token.nope }}", "{{ token | sql_identifier | int + [] }}", "{{ n[token] }}", "{{ '%d' % token }}",
            "{{ macros.datetime.strptime(token, '%Y') }}", "{{ token() }}", "{% for a, b in [token] %}{% endfor %}",
            "{{ logical_date.in_timezone(token) }}", "{{ macros.json.loads(token) }}",
        ]
        var globals = airflowGlobals()
        globals.merge(g) { $1 }
        for c in cases {
            let d = failure(c, globals)
            #expect(d != nil, "\(c) should fail")
            #expect(d?.message.contains(secret) == false, "\(c): \(d?.message ?? "")")
            #expect(d?.help?.contains(secret) != true, "\(c)")
        }
    }
}
