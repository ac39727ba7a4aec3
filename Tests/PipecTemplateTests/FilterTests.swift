import PipecSchedule
@testable import PipecTemplate
import Testing

@Suite("Filters")
struct FilterTests {
    let g: [String: TemplateValue] = ["cols": ["a", "b", "c"], "p": ["table": "events"], "n": 3]

    @Test func airflowDateFilters() throws {
        let a = airflowGlobals()
        #expect(try render("{{ data_interval_end | ds }} {{ data_interval_end | ds_nodash }} {{ data_interval_end | ts }}", a)
                == "2025-03-02 20250302 2025-03-02T03:00:00+00:00")
        #expect(try render("{{ data_interval_start | ts_nodash }} {{ data_interval_start | ts_nodash_with_tz }} {{ logical_date.date() | ds }} {{ none | ds }}", a)
                == "20250301T030000 20250301T030000+0000 2025-03-01 None")
        // The filters format the value in its own zone (unlike the ds variable, which is always UTC).
        #expect(try render("{{ logical_date.in_timezone('Asia/Kolkata') | ts }} {{ logical_date.in_timezone('Asia/Kolkata') | ds }}", a)
                == "2025-03-01T08:30:00+05:30 2025-03-01")
    }

    @Test func stringFilters() throws {
        #expect(try render("{{ 'abc' | upper }} {{ 'ABC' | lower }} [{{ ' x ' | trim }}] {{ 'xxaxx' | trim('x') }} {{ 'aXbX' | replace('X', '-') }} {{ 'aXbX' | replace('X', '-', 1) }}")
                == "ABC abc [x] a a-b- a-bX")
        #expect(try render("{{ 'hello wORLD-x (y)' | title }} {{ 'hELLO' | capitalize }} {{ 5 | upper }} {{ 5 | string }} {{ 'a b c' | wordcount }}")
                == "Hello World-X (Y) Hello 5 5 3")
        #expect(try render("{{ '%s and %s' | format('a', 'b') }} {{ '%(x)s' | format(x=1) }} {{ '<b>' | safe }}") == "a and b 1 <b>")
    }

    @Test func defaultFilter() throws {
        #expect(try render("{{ missing | default('dflt') }} {{ p.missing | d('x') }} {{ '' | default('e', true) }} {{ '' | default('e') }}| {{ none | default('n') }} {{ p.table | default('q') }} {{ missing | default }}|", g)
                == "dflt x e | None events |")
    }

    @Test func sequenceFilters() throws {
        #expect(try render("{{ cols | join(', ') }} {{ [1, 2, 3] | join }} {{ cols | length }} {{ cols | count }} {{ 'héllo' | length }} {{ p | length }}", g)
                == "a, b, c 123 3 3 5 1")
        #expect(try render("{{ cols | first }} {{ cols | last }} {{ 'ab' | list }} {{ p | list }} {{ cols | reverse | list }} {{ 'abc' | reverse }}", g)
                == "a c ['a', 'b'] ['table'] ['c', 'b', 'a'] cba")
        #expect(try render("{{ [3, 1, 2] | sort }} {{ [3, 1, 2] | sort(reverse=true) }} {{ ['b', 'A', 'c'] | sort }} {{ ['B', 'a'] | sort(case_sensitive=true) }}")
                == "[1, 2, 3] [3, 2, 1] ['A', 'b', 'c'] ['B', 'a']")
        #expect(try render("{{ [1, 2, 2, 1] | unique | list }} {{ ['b', 'A', 'a'] | unique | list }} {{ [4, 2, 9] | min }} {{ [4, 2, 9] | max }} {{ ['b', 'A'] | max }}")
                == "[1, 2] ['b', 'A'] 2 9 b")
        #expect(try render("{{ [1, 2, 3] | sum }} {{ [0.5, 1] | sum }} {{ [[1, 2], [3]] | sum(start=[]) }} {{ [{'v': 2}, {'v': 3}] | sum(attribute='v') }}")
                == "6 1.5 [1, 2, 3] 5")
        #expect(try render("{{ [{'n': 'b'}, {'n': 'a'}] | sort(attribute='n') | map(attribute='n') | join }} {{ [{'a': 'x'}] | join(attribute='a') }}") == "ab x")
        #expect(try render("{{ {'a': 1} | items | list }}") == "[('a', 1)]")
    }

    @Test func mapSelectReject() throws {
        #expect(try render("{{ [1, 2, 3] | map('string') | join('-') }} {{ ['a', 'b'] | map('upper') | list }} {{ ['ab'] | map('replace', 'a', 'x') | list }}")
                == "1-2-3 ['A', 'B'] ['xb']")
        #expect(try render("{{ [1, 2, 3, 4] | select('odd') | list }} {{ [1, 2, 3, 4] | reject('odd') | list }} {{ [0, 1, '', 'a'] | select | list }} {{ [1, 5] | select('gt', 2) | list }}")
                == "[1, 3] [2, 4] [1, 'a'] [5]")
    }

    @Test func numberFilters() throws {
        #expect(try render("{{ '42' | int }} {{ 'x' | int }} {{ 'x' | int(7) }} {{ '3.7' | int }} {{ 3.9 | int }} {{ '0x1A' | int(0, 16) }} {{ ' 12 ' | int }}")
                == "42 0 7 3 3 26 12")
        #expect(try render("{{ '3.5' | float }} {{ 'x' | float }} {{ 'x' | float(1.5) }} {{ 2 | float }}") == "3.5 0.0 1.5 2.0")
        #expect(try render("{{ -3 | abs }} {{ -2.5 | abs }} {{ 3.14159 | round(2) }} {{ 2.5 | round }} {{ 0.5 | round }} {{ 2.675 | round(2) }}")
                == "3 2.5 3.14 2.0 0.0 2.67")
        #expect(try render("{{ 3.7 | round(method='floor') }} {{ 3.2 | round(method='ceil') }} {{ 1234 | round(-2) }} {{ 5 | round }}") == "3.0 4.0 1200 5")
    }

    @Test func tojson() throws {
        #expect(try render("{{ {'b': 1, 'a': [1.5, none, true]} | tojson }}") == #"{"a": [1.5, null, true], "b": 1}"#)
        #expect(try render(#"{{ "<a href='x'>&" | tojson }} {{ 'é' | tojson }}"#) == #""\u003ca href=\u0027x\u0027\u003e\u0026" "\u00e9""#)
        #expect(try render("{{ [1, {'a': 2}] | tojson(indent=2) }}") == "[\n  1,\n  {\n    \"a\": 2\n  }\n]")
    }

    @Test func strftimeFilter() throws {
        #expect(try render("{{ logical_date | strftime('%m') }} {{ logical_date.date() | strftime('%d/%m') }}", airflowGlobals()) == "03 01/03")
    }

    @Test func filterChains() throws {
        #expect(try render("{{ cols | map('upper') | reverse | join('|') | lower }}", g) == "c|b|a")
        #expect(try render("{{ -(cols | length) }} {{ -3 | abs }}", g) == "-3 3")
    }
}

@Suite("Jinja tests")
struct JinjaTestTests {
    @Test func definedAndUndefined() throws {
        let g: [String: TemplateValue] = ["p": ["a": 1], "ds": "x"]
        #expect(try render("{{ x is defined }} {{ ds is defined }} {{ p.zz is defined }} {{ p.a is defined }} {{ x is undefined }} {{ p['zz'] is defined }} {{ x is not defined }}", g)
                == "False True False True True False True")
        #expect(try render("{% if p.missing is defined and p.missing %}y{% else %}n{% endif %}", g) == "n")
    }

    @Test func typeTests() throws {
        #expect(try render("{{ none is none }} {{ 'a' is string }} {{ 1 is number }} {{ 1.5 is number }} {{ 1 is integer }} {{ 1.0 is float }} {{ true is boolean }} {{ 1 is not string }}")
                == "True True True True True True True True")
        #expect(try render("{{ [] is iterable }} {{ {} is mapping }} {{ [] is sequence }} {{ 1 is iterable }} {{ range is callable }} {{ true is true }} {{ 0 is false }}")
                == "True True True False True True False")
    }

    @Test func numberTests() throws {
        #expect(try render("{{ 3 is odd }} {{ 4 is even }} {{ 6 is divisibleby 3 }} {{ 6 is divisibleby(4) }} {{ 2 is eq 2 }} {{ 2 is lt 3 }} {{ 2 is ge 3 }} {{ 2 is in [1, 2] }} {{ 2 is == 2 }}")
                == "True True True False True True False True True")
        #expect(try render("{{ 'abc' is lower }} {{ 'ABC' is upper }} {{ none is sameas none }} {{ 'a' is ne 'b' }}") == "True True True True")
    }
}
