#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// CPython's number semantics that Swift's standard library does not share: `repr(float)` (shortest round-trip
/// digits, exponent only below 1e-4 or from 1e16), `int(str, base)` and `float(str)` parsing, and float `//`
/// and `%` computed through `fmod` as `float_divmod` does (so `10 // 0.1` is 99.0, not 100.0).
enum PyNumber {
    /// `repr(d)` (which is also `str(d)`).
    static func repr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description has the shortest round-trip digits too; only the layout differs from Python's.
        let text = Swift.abs(d).description
        var digits: [UInt8] = []
        var pointAt: Int?
        var exponent = 0
        var bytes = text.utf8[...]
        while let b = bytes.first, b != UInt8(ascii: "e") {
            if b == UInt8(ascii: ".") { pointAt = digits.count } else { digits.append(b) }
            bytes = bytes.dropFirst()
        }
        if bytes.first == UInt8(ascii: "e") { exponent = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)) ?? 0 }
        // value = 0.DIGITS * 10^decpt, with DIGITS stripped of leading and trailing zeros.
        var decpt = (pointAt ?? digits.count) + exponent
        while digits.first == UInt8(ascii: "0") { digits.removeFirst(); decpt -= 1 }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        let ds = String(decoding: digits, as: UTF8.self)
        var out = d < 0 ? "-" : ""
        if decpt <= -4 || decpt > 16 {
            out += String(ds.prefix(1))
            if digits.count > 1 { out += "." + ds.dropFirst() }
            let e = decpt - 1
            out += e < 0 ? "e-" : "e+"
            out += Swift.abs(e) < 10 ? "0\(Swift.abs(e))" : "\(Swift.abs(e))"
        } else if decpt <= 0 {
            out += "0." + String(repeating: "0", count: -decpt) + ds
        } else if decpt >= digits.count {
            out += ds + String(repeating: "0", count: decpt - digits.count) + ".0"
        } else {
            out += ds.prefix(decpt) + "." + ds.dropFirst(decpt)
        }
        return out
    }

    /// Python's `float(str)`: surrounding whitespace, `_` between digits, `inf`/`infinity`/`nan` in any case;
    /// no hex floats (which Swift's `Double(String)` would accept).
    static func parseFloat(_ raw: String) -> Double? {
        let s = PyStr.scalars(StringMethods.strip(raw, nil, leading: true, trailing: true))
        var i = 0
        var sign = ""
        if i < s.count, s[i] == "+" || s[i] == "-" { sign = s[i] == "-" ? "-" : ""; i += 1 }
        let word = PyStr.string(s[i...]).lowercased()
        switch word {
        case "inf", "infinity": return sign == "-" ? -.infinity : .infinity
        case "nan": return .nan
        default: break
        }
        var text = sign
        var mantissaDigits = 0
        func digits() -> Bool {
            guard i < s.count, s[i].properties.numericType == .decimal, s[i].isASCII else { return false }
            while i < s.count {
                if s[i].isASCII, ("0"..."9").contains(s[i]) {
                    text.unicodeScalars.append(s[i]); i += 1
                } else if s[i] == "_", i + 1 < s.count, s[i + 1].isASCII, ("0"..."9").contains(s[i + 1]) {
                    i += 1
                } else {
                    break
                }
            }
            return true
        }
        let start = text.count
        if digits() { mantissaDigits += text.count - start }
        if i < s.count, s[i] == "." {
            text += "."
            i += 1
            let before = text.count
            if digits() { mantissaDigits += text.count - before }
        }
        guard mantissaDigits > 0 else { return nil }
        if i < s.count, s[i] == "e" || s[i] == "E" {
            text += "e"
            i += 1
            if i < s.count, s[i] == "+" || s[i] == "-" { text.unicodeScalars.append(s[i]); i += 1 }
            guard digits() else { return nil }
        }
        guard i == s.count else { return nil }
        return Double(text)
    }

    enum ParsedInt: Equatable {
        case value(Int)
        /// Valid Python, but beyond 64 bits.
        case overflow
        case invalid
    }

    /// Python's `int(str, base)`: surrounding whitespace, a sign, `_` between digits (and after a prefix), the
    /// prefix `0x`/`0o`/`0b` allowed when it matches `base` and required to pick the base when `base` is 0
    /// (where leading zeros are refused).
    static func parseInt(_ raw: String, base: Int) -> ParsedInt {
        guard base == 0 || (2...36).contains(base) else { return .invalid }
        let s = PyStr.scalars(StringMethods.strip(raw, nil, leading: true, trailing: true))
        var i = 0
        var negative = false
        if i < s.count, s[i] == "+" || s[i] == "-" { negative = s[i] == "-"; i += 1 }
        var radix = base
        var prefixed = false
        if i + 1 < s.count, s[i] == "0" {
            let p = Character(s[i + 1]).lowercased()
            let r = p == "x" ? 16 : p == "o" ? 8 : p == "b" ? 2 : 0
            if r != 0, base == r || base == 0 { radix = r; i += 2; prefixed = true }
        }
        if radix == 0 { radix = 10 }
        func digit(_ c: Unicode.Scalar) -> Int? {
            guard c.isASCII else { return nil }
            let v: Int
            switch c.value {
            case 0x30...0x39: v = Int(c.value - 0x30)
            case 0x61...0x7A: v = Int(c.value - 0x61 + 10)
            case 0x41...0x5A: v = Int(c.value - 0x41 + 10)
            default: return nil
            }
            return v < radix ? v : nil
        }
        var magnitude: UInt64 = 0
        var overflow = false
        var count = 0
        var allZero = true
        var first = i
        if prefixed, i < s.count, s[i] == "_" { i += 1; first = i }
        while i < s.count {
            if s[i] == "_" {
                guard i > first, i + 1 < s.count, digit(s[i + 1]) != nil else { return .invalid }
                i += 1
                continue
            }
            guard let d = digit(s[i]) else { return .invalid }
            if d != 0 { allZero = false }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: UInt64(radix))
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            overflow = overflow || o1 || o2
            magnitude = a
            count += 1
            i += 1
        }
        guard count > 0 else { return .invalid }
        // int('010', 0) is a SyntaxError-like ValueError in Python; int('000', 0) is 0.
        if base == 0, !prefixed, count > 1, s[first] == "0", !allZero { return .invalid }
        if overflow { return .overflow }
        if negative {
            if magnitude == UInt64(Int.max) + 1 { return .value(.min) }
            return magnitude <= UInt64(Int.max) ? .value(-Int(magnitude)) : .overflow
        }
        return magnitude <= UInt64(Int.max) ? .value(Int(magnitude)) : .overflow
    }

    /// `int(d)` for a finite float: nil when it is beyond 64 bits.
    static func truncate(_ d: Double) -> Int? {
        guard d.isFinite, d > -9_223_372_036_854_775_809.0, d < 9_223_372_036_854_775_808.0 else { return nil }
        return Int(d)
    }

    /// CPython's `float_divmod`: (a // b, a % b); `b` is non-zero.
    static func divmod(_ a: Double, _ b: Double) -> (Double, Double) {
        var mod = fmod(a, b)
        var div = (a - mod) / b
        if mod != 0 {
            if (b < 0) != (mod < 0) {
                mod += b
                div -= 1
            }
        } else {
            mod = b.sign == .minus ? -0.0 : 0.0
        }
        var floorDiv: Double
        if div != 0 {
            floorDiv = div.rounded(.down)
            if div - floorDiv > 0.5 { floorDiv += 1 }
        } else {
            floorDiv = (a / b).sign == .minus ? -0.0 : 0.0
        }
        return (floorDiv, mod)
    }
}
