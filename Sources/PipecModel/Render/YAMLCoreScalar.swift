import PipecTemplate

/// Types a plain scalar by the YAML 1.2 core schema, the same for `params:` in a spec and `--param k=v`:
/// `~`/`null`/empty → None; `true`/`false` (three spellings each) → bool; `[-+]?[0-9]+`, `0o17`, `0x1F` → int;
/// `[-+]?(.5|1|1.|1.5)([eE][-+]?9)?`, `[-+]?.inf`, `.nan` → float; anything else is a string. An integer outside
/// 64 bits stays a string, so no digit is lost (a float would round it).
enum YAMLCoreScalar {
    static func value(of text: String) -> TemplateValue {
        switch text {
        case "null", "Null", "NULL", "~", "": return .none
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        let bytes = Array(text.utf8)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "x") || bytes[1] == UInt8(ascii: "o") {
            let digits = String(decoding: bytes[2...], as: UTF8.self)
            let radix = bytes[1] == UInt8(ascii: "x") ? 16 : 8
            guard digits.utf8.allSatisfy({ isDigit($0, radix: radix) }) else { return .string(text) }
            return Int(digits, radix: radix).map(TemplateValue.int) ?? .string(text)
        }
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        let integerStart = i
        while i < bytes.count, isDigit(bytes[i], radix: 10) { i += 1 }
        let integerDigits = i - integerStart
        if i == bytes.count {
            guard integerDigits > 0 else { return .string(text) }
            return Int(text.hasPrefix("+") ? String(text.dropFirst()) : text).map(TemplateValue.int) ?? .string(text)
        }
        var fractionDigits = 0
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < bytes.count, isDigit(bytes[i], radix: 10) { i += 1 }
            fractionDigits = i - start
        }
        guard integerDigits > 0 || fractionDigits > 0 else { return .string(text) }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            let start = i
            while i < bytes.count, isDigit(bytes[i], radix: 10) { i += 1 }
            guard i > start else { return .string(text) }
        }
        guard i == bytes.count else { return .string(text) }
        // Swift's parser takes "1." and ".5" only in some spellings: give it the canonical form.
        var canonical = text
        if canonical.hasSuffix(".") { canonical += "0" }
        canonical = canonical.replacingAll("+.", with: "+0.").replacingAll("-.", with: "-0.")
        if canonical.hasPrefix(".") { canonical = "0" + canonical }
        canonical = canonical.replacingAll(".e", with: ".0e").replacingAll(".E", with: ".0E")
        return Double(canonical).map(TemplateValue.double) ?? .string(text)
    }

    private static func isDigit(_ b: UInt8, radix: Int) -> Bool {
        switch radix {
        case 8: return b >= UInt8(ascii: "0") && b <= UInt8(ascii: "7")
        case 16: return (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "f"))
        default: return b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
        }
    }
}
