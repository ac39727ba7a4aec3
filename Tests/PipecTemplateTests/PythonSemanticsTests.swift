@testable import PipecTemplate
import Testing

/// Cases where pipec rendered differently from Jinja2 3.1 in Airflow's environment (issue 14), each with
/// Jinja2's output as measured.
@Suite("Python semantics measured against Jinja2")
struct PythonSemanticsTests {
    @Test func carriageReturnEscapeIsKept() throws {
        #expect(try render(#"{{ 'a\r\nb' }}"#) == "a\r\nb")
        #expect(try render(#"{{ 'a\r\nb' | replace('\r', '') }}"#) == "a\nb")
        // A raw carriage return in the template source is still normalised, as Jinja's lexer does.
        #expect(try render("{{ 'a\r\nb' }}") == "a\nb")
    }

    @Test func booleansFormatAsPython() throws {
        #expect(try render("{{ '{}'.format(params.flag) }}", ["params": .dict([("flag", .bool(true))])]) == "True")
        #expect(try render("{{ '{} {}'.format(false, none) }}") == "False None")
        #expect(try render("{{ '{:d}'.format(true) }}") == "1")
    }

    @Test func wordcountSplitsOnWordCharacters() throws {
        #expect(try render("{{ 'a-b c' | wordcount }}") == "3")
        #expect(try render("{{ \"it's a_b\" | wordcount }}") == "3")
    }

    @Test func stringsAreCodePoints() throws {
        #expect(try render(#"{{ 'e\u0301' | length }}"#) == "2")
        #expect(try render("{{ '🇫🇷 fr'[2] }}") == " ")
        #expect(try render("{{ '🇫🇷 fr' | length }} {{ '🇫🇷 fr'[1:3] }}") == "5 🇷 ")
        #expect(try render(#"{{ 'e\u0301' == '\u00e9' }} {{ '\u00e9' in 'e\u0301' }}"#) == "False False")
        #expect(try render(#"{{ 'e\u0301x' | reverse | length }} {{ 'e\u0301'.find('\u0301') }}"#) == "3 1")
    }

    @Test func titleLowersSigmaAsPython() throws {
        #expect(try render("{{ 'ΣΑΣ' | title }}") == "Σας")
        #expect(try render("{{ 'ΣΑΣ'.title() }} {{ 'ΣΑΣ' | lower }} {{ 'Σ' | lower }} {{ 'ΑΣ.' | lower }}") == "Σας σας σ ας.")
    }

    @Test func intParsesAsPython() throws {
        #expect(try render("{{ '0x1A' | int }} {{ '0x1A' | int(base=16) }} {{ '0b101' | int(base=0) }}") == "0 26 5")
        #expect(try render("{{ ' 1_000 ' | int }} {{ '1e3' | int }} {{ '12.7' | int }}") == "1000 1000 12")
    }

    @Test func integerLiteralsInOtherBases() throws {
        #expect(try render("{{ 0x1f }} {{ 0o17 }} {{ 0b101 }} {{ 0X1F + 0B1 }} {{ 0x_ff }}") == "31 15 5 32 255")
    }

    @Test func integersBeyond64BitsAreAClearError() throws {
        #expect(failure("{{ 99999999999999999999 }}")?.message.contains("64 bits") == true)
        #expect(failure("{{ 0x1ffffffffffffffff }}")?.message.contains("64 bits") == true)
        #expect(failure("{{ 1e22 | int }}")?.message.contains("64 bits") == true)
        #expect(failure("{{ '99999999999999999999' | int }}")?.message.contains("64 bits") == true)
        #expect(failure("{{ 2 ** 64 }}")?.message.contains("overflow") == true)
    }

    @Test func floatFloorDivisionAndModulo() throws {
        #expect(try render("{{ 10 // 0.1 + 0.1 }} {{ 10 % 0.1 }} {{ -7.5 // 2 }} {{ 7 // -0.5 }}") == "99.1 0.09999999999999945 -4.0 -14.0")
        #expect(try render("{{ -1 % 0.5 }} {{ 1 % -0.5 }} {{ 0.0 % -1 }}") == "0.0 -0.0 -0.0")
    }

    @Test func floatsPrintAsPythonRepr() throws {
        #expect(try render("{{ 9999999999999994.0 }} {{ 1e16 }} {{ 123456789012345678.0 }} {{ 0.0001 }} {{ 0.00001 }}")
            == "9999999999999994.0 1e+16 1.2345678901234568e+17 0.0001 1e-05")
        #expect(try render("{{ -0.0 }} {{ 0.0 * -1 }} {{ -0.0 | string }} {{ [-0.0] }} {{ '{}'.format(-0.0) }}") == "-0.0 -0.0 -0.0 [-0.0] -0.0")
        #expect(try render("{{ 1e300 * 1e10 }} {{ -(1e300 * 1e10) }} {{ 5e-324 }}") == "inf -inf 5e-324")
    }
}

/// Found by the differential suite against Jinja2 (DifferentialTemplateTests); Jinja2's results as measured.
@Suite("Differential findings")
struct DifferentialFindingsTests {
    @Test func formatSpecsAreCheckedAsPython() throws {
        #expect(failure("{{ '{:.3}'.format(7) }}")?.message.contains("Precision not allowed") == true)
        #expect(failure("{{ '{:.3}'.format([1]) }}")?.message.contains("unsupported format string") == true)
        #expect(failure("{{ '{:=+8}'.format('x') }}") != nil)
        #expect(try render("{{ '%+s|%-3s|' % ('a', 'b') }}") == "a|b  |")
    }

    @Test func roundKeepsBoolsIntegers() throws {
        #expect(try render("{{ true | round }} {{ false | round }} {{ true | round(-1) }}") == "1 0 0")
    }

    @Test func mapAndSelectOfAFalsyValueAreEmpty() throws {
        #expect(try render("{{ 0 | map('upper') | list }} {{ none | select('string') | join(',') }}|") == "[] |")
        #expect(failure("{{ 3 | map('upper') | list }}") != nil)
    }

    @Test func aListArgumentCountsAsAMapping() throws {
        #expect(try render("{{ 'abc' % [1] }} {{ '%s' % [1] }}") == "abc [1]")
    }

    @Test func membershipInADictHashesTheKey() throws {
        #expect(failure("{{ [1] in {'a': 1} }}")?.message.contains("unhashable") == true)
        #expect(try render("{{ (1, 2) in {'a': 1} }}") == "False")
    }

    @Test func repetitionOfTuples() throws {
        #expect(try render("{{ (1,) * 3 }} {{ 2 * (1, 2) }}") == "(1, 1, 1) (1, 2, 1, 2)")
    }
}
