import PipecDiagnostics
@testable import PipecTemplate
import Testing

@Suite("Lexing and whitespace")
struct SyntaxTests {
    @Test func textPassesThrough() throws {
        #expect(try render("SELECT 1 FROM t WHERE a = '{'") == "SELECT 1 FROM t WHERE a = '{'")
    }

    @Test func oneTrailingNewlineIsDropped() throws {
        // keep_trailing_newline=False, as in Airflow's environment
        #expect(try render("SELECT 1\n") == "SELECT 1")
        #expect(try render("SELECT 1\n\n") == "SELECT 1\n")
        #expect(try render("SELECT 1\r\n") == "SELECT 1")
    }

    @Test func newlinesAreNormalised() throws {
        #expect(try render("a\r\nb\rc") == "a\nb\nc")
    }

    @Test func blocksKeepSurroundingWhitespace() throws {
        // trim_blocks=False, lstrip_blocks=False
        #expect(try render("line1\n{% if true %}\nline2\n{% endif %}\nline3") == "line1\n\nline2\n\nline3")
    }

    @Test func whitespaceControl() throws {
        #expect(try render("a\n  {%- if true -%}\n    x\n  {%- endif -%}\n  b") == "axb")
        #expect(try render("a  {{- 'x' -}}  b") == "axb")
        #expect(try render("a {#- c -#} b") == "ab")
        #expect(try render("a\n{%- for i in [1, 2] %}\n  {{ i }}\n{%- endfor %}\nb") == "a\n  1\n  2\nb")
        #expect(try render("a {%+ if true +%} b{% endif %}") == "a  b")
    }

    @Test func comments() throws {
        #expect(try render("a{# {{ not rendered }} #}b") == "ab")
        #expect(try render("{# multi\nline #}x") == "x")
    }

    @Test func raw() throws {
        #expect(try render("{% raw %}{{ ds }} {% if %}{% endraw %}") == "{{ ds }} {% if %}")
        #expect(try render("a {%- raw -%}  {{ x }}  {%- endraw -%}  b") == "a{{ x }}b")
    }

    @Test func stringLiterals() throws {
        #expect(try render(#"{{ 'it\'s' }} {{ "q\"x" }} {{ 'a\tb' }} {{ '\x41\u00e9' }}"#) == "it's q\"x a\tb Aé")
        // Unknown escapes stay, as Python's unicode-escape leaves them: SQL regexes survive.
        #expect(try render(#"{{ '\d+\.\w' }}"#) == #"\d+\.\w"#)
        #expect(try render("{{ 'a' 'b' }}") == "ab")
        #expect(try render("{{ '}}' }}") == "}}")
    }

    @Test func numberLiterals() throws {
        #expect(try render("{{ 1_000 }} {{ 1.5e3 }} {{ 2.5 }} {{ 1e-5 }}") == "1000 1500.0 2.5 1e-05")
    }

    @Test func nestedBracesInsideOutput() throws {
        #expect(try render("{{ {'a': {'b': 1}} }}") == "{'a': {'b': 1}}")
    }

    @Test func keywordsAndLiterals() throws {
        #expect(try render("{{ true }} {{ True }} {{ false }} {{ none }} {{ None }}") == "True True False None None")
    }
}
