@testable import PipecTemplate
import Testing

@Suite("Expressions and Python semantics")
struct ExpressionTests {
    @Test func pythonStrOfValues() throws {
        #expect(try render("{{ 1.0 }} {{ 1e16 }} {{ 0.1 + 0.2 }} {{ -0.0 }}") == "1.0 1e+16 0.30000000000000004 -0.0")
        #expect(try render("{{ [1, 'a', none, true, 1.5] }}") == "[1, 'a', None, True, 1.5]")
        #expect(try render("{{ (1,) }} {{ (1, 2) }} {{ () }}") == "(1,) (1, 2) ()")
        #expect(try render("{{ {'a': 1, 'b': [1, 'x']} }}") == "{'a': 1, 'b': [1, 'x']}")
        #expect(try render(#"{{ ["it's", 'q"x', 'a\nb'] }}"#) == #"["it's", 'q"x', 'a\nb']"#)
        #expect(try render("{{ {1: 'x', 2.5: 'y', none: 1} }}") == "{1: 'x', 2.5: 'y', None: 1}")
    }

    @Test func arithmetic() throws {
        #expect(try render("{{ 7 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 10.5 // 3 }} {{ -10.5 % 3 }}") == "3.5 3 -4 2 3.0 1.5")
        #expect(try render("{{ 2 ** 10 }} {{ 2 ** -1 }} {{ 2 ** 3 ** 2 }} {{ 2 ** 0.5 }}") == "1024 0.5 64 1.4142135623730951")
        #expect(try render("{{ 1 + true }} {{ 3 * 1.5 }} {{ -(3) }} {{ +3 }} {{ 10 / 5 }}") == "2 4.5 -3 3 2.0")
        #expect(try render("{{ 'ab' * 3 }} {{ 3 * 'x' }} {{ [1] * 3 }} {{ 'x' * 0 }}|") == "ababab xxx [1, 1, 1] |")
        #expect(try render("{{ [1] + [2] }} {{ (1, 2) + (3,) }} {{ 'a' + 'b' }}") == "[1, 2] (1, 2, 3) ab")
    }

    @Test func percentFormatting() throws {
        #expect(try render("{{ '%s=%d' % ('a', 5) }} {{ '%05.2f' % 3.14159 }} {{ '%-5s|' % 'ab' }}") == "a=5 03.14 ab   |")
        #expect(try render("{{ '%(a)s-%(b)03d' % {'a': 'x', 'b': 7} }} {{ '%x %o %e' % (255, 8, 12345.678) }}") == "x-007 ff 10 1.234568e+04")
        #expect(try render("{{ '%r' % 'x' }} {{ '%c' % 65 }} {{ '%%' % () }} {{ '%s' % [1, 2] }}") == "'x' A % [1, 2]")
    }

    @Test func concatenationAndComparison() throws {
        #expect(try render("{{ 'a' ~ 1 ~ none }}") == "a1None")
        #expect(try render("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'b' > 'a' }} {{ [1, 2] < [1, 3] }} {{ 1 == 1.0 }} {{ 'a' != 'a' }}") == "True False True True True False")
        #expect(try render("{{ 'x' in 'xyz' }} {{ 3 not in [1, 2] }} {{ 'k' in {'k': 1} }}") == "True True True")
    }

    @Test func booleanLogicReturnsOperands() throws {
        #expect(try render("{{ not 0 }} {{ 0 or 'y' }} {{ '' and 'z' }}|{{ [] or {} }} {{ 'a' and 'b' }}") == "True y |{} b")
    }

    @Test func conditionalExpression() throws {
        #expect(try render("{{ 'a' if false else 'b' }} {{ 1 if 0 else 2 if 0 else 3 }}") == "b 3")
        // Without else, a false condition gives Jinja's lenient Undefined even under StrictUndefined.
        #expect(try render("[{{ 'a' if false }}] {{ ('a' if false) is defined }} {{ ('a' if false) | default('d') }}") == "[] False d")
    }

    @Test func subscriptsAndSlices() throws {
        let g: [String: TemplateValue] = ["ds": "2025-03-01", "xs": [1, 2, 3]]
        #expect(try render("{{ ds[:4] }}/{{ ds[5:7] }}/{{ ds[-2:] }} {{ ds[::-1] }} {{ ds[::2] }}", g) == "2025/03/01 10-30-5202 22-30")
        #expect(try render("{{ xs[1:] }} {{ xs[-1] }} {{ xs[::-1] }} {{ xs.0 }} {{ 'héllo'[1] }} {{ 'héllo'[1:3] }}", g) == "[2, 3] 3 [3, 2, 1] 1 é él")
    }

    @Test func attributesFallBackToKeysAndBack() throws {
        let g: [String: TemplateValue] = ["d": ["a": 1, "items": "x"]]
        #expect(try render("{{ d.a }} {{ d['a'] }} {{ d.items }} {{ d.items() | list }}", g) == "1 1 x [('a', 1), ('items', 'x')]")
    }

    @Test func stringMethods() throws {
        #expect(try render("{{ 'a,b,,c'.split(',') }} {{ ' a  b '.split() }} {{ 'a b c'.split(none, 1) }} {{ 'a.b.c'.rsplit('.', 1) }}")
                == "['a', 'b', '', 'c'] ['a', 'b'] ['a', 'b c'] ['a.b', 'c']")
        #expect(try render("{{ 'abc'.upper() }} {{ 'ABC'.lower() }} {{ '  x '.strip() }}| {{ 'xxaxx'.strip('x') }} {{ '  x'.lstrip() }} {{ 'x  '.rstrip() }}|")
                == "ABC abc x| a x x|")
        #expect(try render("{{ 'x'.startswith('x') }} {{ 'abc'.endswith(('c', 'z')) }} {{ 'abc'.replace('b', 'X') }} {{ 'aaa'.replace('a', 'b', 2) }}")
                == "True True aXc bba")
        #expect(try render("{{ '{}-{}'.format(1, 'b') }} {{ '{0}{1}{0}'.format('x', 'y') }} {{ '{name}!'.format(name='n') }} {{ '{:>5}|{:05.1f}|{:,}'.format('ab', 3.14159, 1234567) }}")
                == "1-b xyx n!    ab|003.1|1,234,567")
        #expect(try render("{{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }} {{ ','.join(['a', 'b']) }} {{ 'abc'.find('c') }} {{ 'abc'.rfind('z') }}")
                == "Hello World Hello a,b 2 -1")
        #expect(try render("{{ 'a-b'.partition('-') }} {{ '7'.zfill(3) }} {{ '-7'.zfill(3) }} {{ 'ab'.center(6, '*') }} {{ 'ab'.ljust(4, '.') }} {{ 'aaa'.count('a') }}")
                == "('a', '-', 'b') 007 -07 **ab** ab.. 3")
        #expect(try render("{{ '12'.isdigit() }} {{ 'ab1'.isalnum() }} {{ 'ab'.isalpha() }} {{ ' '.isspace() }} {{ 'ab'.islower() }} {{ 'AB'.isupper() }}")
                == "True True True True True True")
        #expect(try render("{{ 'a\\nb\\r\\nc'.splitlines() }} {{ 'Hello'.swapcase() }}") == "['a', 'b', 'c'] hELLO")
    }

    @Test func dictAndListMethods() throws {
        let g: [String: TemplateValue] = ["d": ["a": 1, "b": 2], "xs": ["a", "b", "a"]]
        #expect(try render("{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 0) }} {{ d.keys() }} {{ d.values() }} {{ d.items() }}", g)
                == "1 None 0 ['a', 'b'] [1, 2] [('a', 1), ('b', 2)]")
        #expect(try render("{{ xs.index('b') }} {{ xs.count('a') }}", g) == "1 2")
    }

    @Test func globalFunctions() throws {
        #expect(try render("{{ range(3) | list }} {{ range(1, 10, 3) | list }} {{ range(5, 0, -2) | list }}") == "[0, 1, 2] [1, 4, 7] [5, 3, 1]")
        #expect(try render("{{ dict(a=1, b=2) }} {{ dict([('k', 'v')]) }}") == "{'a': 1, 'b': 2} {'k': 'v'}")
    }

    @Test func nativeFunctions() throws {
        let ref = NativeFunction(name: "ref") { args, kwargs throws(TemplateFunctionError) in
            guard case .string(let name)? = args.first else { throw TemplateFunctionError("expects a table name") }
            return .string("\"" + name.replacingOccurrences(of: ".", with: "\".\"") + "\"" + (kwargs.isEmpty ? "" : "!"))
        }
        #expect(try render("SELECT * FROM {{ ref('silver.events') }} {{ ref('a', x=1) }}", ["ref": .function(ref)]) == "SELECT * FROM \"silver\".\"events\" \"a\"!")
    }

    @Test func objectsFromSwift() throws {
        let g: [String: TemplateValue] = ["tasks": .object("tasks", [("load", .object("task", [("rows", 42), ("status", "success")]))])]
        #expect(try render("{{ tasks.load.rows }} {{ tasks.load.status }} {{ tasks['load'].rows + 1 }}", g) == "42 success 43")
    }

    @Test func valuesFromJSON() throws {
        let v = TemplateValue(json: .object([("a", .array([.int(1), .double(2.5), .null, .bool(true), .string("x")]))]))
        #expect(try render("{{ p }}", ["p": v]) == "{'a': [1, 2.5, None, True, 'x']}")
        #expect(v.rendered == "{'a': [1, 2.5, None, True, 'x']}")
    }
}

import Foundation
