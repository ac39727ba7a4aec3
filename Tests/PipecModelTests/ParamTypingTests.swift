import Testing
@testable import PipecModel
import PipecTemplate

/// `--param` values and plain `params:` scalars are typed by the YAML 1.2 core schema, the same way (issue 18, point 6).
@Suite struct ParamTypingTests {
    static let cases: [(String, String)] = [
        ("16", "int 16"), ("+16", "int 16"), ("-16", "int -16"), ("0016", "int 16"),
        ("0x10", "int 16"), ("0xff", "int 255"), ("0o17", "int 15"), ("0x", "string 0x"), ("0xg1", "string 0xg1"), ("-0x10", "string -0x10"),
        ("99999999999999999999", "string 99999999999999999999"), ("9223372036854775807", "int 9223372036854775807"),
        ("1.5", "double 1.5"), (".5", "double 0.5"), ("1.", "double 1.0"), ("1e3", "double 1000.0"), ("-2.5E-1", "double -0.25"),
        ("1.e2", "double 100.0"), ("0x1p3", "string 0x1p3"),
        (".inf", "double inf"), ("-.Inf", "double -inf"), ("+.INF", "double inf"), (".nan", "double nan"),
        ("inf", "string inf"), ("nan", "string nan"), ("Infinity", "string Infinity"), ("1_000", "string 1_000"),
        ("", "none"), ("~", "none"), ("null", "none"), ("NULL", "none"),
        ("true", "bool true"), ("False", "bool false"), ("yes", "string yes"), ("NO", "string NO"), ("1.2.3", "string 1.2.3"),
    ]

    @Test(arguments: cases)
    func commandLineValuesAreTypedByTheCoreSchema(_ input: String, _ expected: String) {
        #expect(Self.describe(ParamValue.commandLine(input).templateValue) == expected, "--param k=\(input)")
    }

    static func describe(_ v: TemplateValue) -> String {
        switch v {
        case .none: return "none"
        case .bool(let b): return "bool \(b)"
        case .int(let i): return "int \(i)"
        case .double(let d): return "double \(d)"
        case .string(let s): return "string \(s)"
        default: return "other"
        }
    }
}
