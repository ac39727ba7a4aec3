/// Decimal text (`-123.45`) to the unscaled integer Parquet stores for DECIMAL(precision, scale): the digits
/// with the point moved `scale` places right, so `-123.45` in DECIMAL(9,3) is -123450.
enum DecimalText {
    enum Failure: Error {
        case notADecimal
        /// Non-zero digits beyond the scale: writing them would silently round.
        case tooManyFractionDigits
        /// More integer digits than precision - scale allows.
        case tooManyIntegerDigits
    }

    /// Checks `text` and calls `digit` with each digit of the unscaled value, most significant first (leading
    /// zeros left out). Returns whether the value is negative (never for zero).
    static func unscaled(_ text: String, precision: Int, scale: Int, digit: (UInt8) -> Void) throws(Failure) -> Bool {
        var text = text
        // withUTF8 rethrows untyped errors, so the outcome comes out as a Result.
        let outcome = text.withUTF8 { bytes -> Result<Bool, Failure> in
            var i = 0
            var negative = false
            if i < bytes.count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                negative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            let integerStart = i
            while i < bytes.count && isDigit(bytes[i]) { i += 1 }
            let integerEnd = i
            var fractionStart = i, fractionEnd = i
            if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
                fractionStart = i + 1
                i += 1
                while i < bytes.count && isDigit(bytes[i]) { i += 1 }
                fractionEnd = i
            }
            guard i == bytes.count, integerEnd > integerStart || fractionEnd > fractionStart else { return .failure(.notADecimal) }

            var significant = integerStart
            while significant < integerEnd && bytes[significant] == UInt8(ascii: "0") { significant += 1 }
            guard integerEnd - significant <= precision - scale else { return .failure(.tooManyIntegerDigits) }
            let kept = min(fractionEnd - fractionStart, scale)
            for j in (fractionStart + kept)..<fractionEnd where bytes[j] != UInt8(ascii: "0") {
                return .failure(.tooManyFractionDigits)
            }

            var zero = true
            var started = false
            func emit(_ d: UInt8) {
                if d != 0 { zero = false }
                if d != 0 || started {
                    started = true
                    digit(d)
                }
            }
            for j in significant..<integerEnd { emit(bytes[j] - UInt8(ascii: "0")) }
            for j in fractionStart..<(fractionStart + kept) { emit(bytes[j] - UInt8(ascii: "0")) }
            for _ in kept..<scale { emit(0) }
            return .success(negative && !zero)
        }
        return try outcome.get()
    }

    /// The unscaled value as an integer (precision ≤ 18, so it cannot overflow).
    static func int64(_ text: String, precision: Int, scale: Int) throws(Failure) -> Int64 {
        precondition(precision <= 18)
        var value: Int64 = 0
        let negative = try unscaled(text, precision: precision, scale: scale) { value = value * 10 + Int64($0) }
        return negative ? -value : value
    }

    /// The unscaled value as `count` bytes of big-endian two's complement (FIXED_LEN_BYTE_ARRAY decimals).
    static func bigEndian(_ text: String, precision: Int, scale: Int, count: Int, into out: inout [UInt8]) throws(Failure) {
        var magnitude = [UInt8](repeating: 0, count: count)
        let negative = try unscaled(text, precision: precision, scale: scale) { d in
            var carry = Int(d)
            for k in stride(from: count - 1, through: 0, by: -1) {
                let v = Int(magnitude[k]) * 10 + carry
                magnitude[k] = UInt8(truncatingIfNeeded: v)
                carry = v >> 8
            }
        }
        if negative {
            // Two's complement: invert, then add one from the least significant byte up.
            var carry = 1
            for k in stride(from: count - 1, through: 0, by: -1) {
                let v = Int(~magnitude[k]) + carry
                magnitude[k] = UInt8(truncatingIfNeeded: v)
                carry = v >> 8
            }
        }
        out += magnitude
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
