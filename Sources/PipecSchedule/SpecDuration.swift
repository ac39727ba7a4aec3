/// A spec duration such as `500ms`, `30s`, `5m`, `2h`, `1d` or the compound `1h30m`, held as whole milliseconds.
///
/// Units are exact: `1d` is 86 400 000 ms (a duration, not a calendar day). Each unit may appear once, largest
/// first, as in Go and Airflow's timedelta strings.
public struct SpecDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func seconds(_ s: Int64) -> SpecDuration { SpecDuration(milliseconds: s * 1000) }

    /// The length in seconds (fractional for sub-second durations).
    public var seconds: Double { Double(milliseconds) / 1000 }

    public static func < (a: SpecDuration, b: SpecDuration) -> Bool { a.milliseconds < b.milliseconds }

    /// Units from largest to smallest: (suffix, milliseconds per unit).
    static let units: [(String, Int64)] = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]

    /// The canonical short form: largest units first, zero parts left out (`90m` -> `1h30m`, `0` -> `0s`).
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds.magnitude
        var text = milliseconds < 0 ? "-" : ""
        for (suffix, size) in SpecDuration.units where rest >= UInt64(size) {
            text += "\(rest / UInt64(size))\(suffix)"
            rest %= UInt64(size)
        }
        return text
    }

    /// Parses `500ms`, `30s`, `5m`, `2h`, `1d` and compounds like `1h30m` or `2m30s500ms`.
    public static func parse(_ text: String) -> Result<SpecDuration, TimeParseError> {
        let scalars = Array(text.unicodeScalars)
        func fail(_ why: String, _ column: Int, _ length: Int = 1) -> Result<SpecDuration, TimeParseError> {
            .failure(TimeParseError(message: "invalid duration '\(text)': \(why)", column: column, length: length))
        }
        if scalars.isEmpty { return fail("it is empty; write e.g. 30s, 5m, 2h or 1h30m", 0) }
        var total: Int64 = 0
        var i = 0
        var previousRank = -1
        while i < scalars.count {
            let numberStart = i
            var value: Int64 = 0
            while i < scalars.count, let digit = asciiDigit(scalars[i]) {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(Int64(digit))
                if o1 || o2 { return fail("the number is too large", numberStart, i - numberStart + 1) }
                value = plus
                i += 1
            }
            if i == numberStart {
                return fail("expected a number at '\(String(String.UnicodeScalarView(scalars[i...])))'", i)
            }
            let unitStart = i
            while i < scalars.count, isASCIILetter(scalars[i]) { i += 1 }
            let unit = String(String.UnicodeScalarView(scalars[unitStart..<i])).lowercased()
            if unit.isEmpty {
                return fail("missing unit after \(value); units are ms, s, m, h, d", unitStart == scalars.count ? max(0, unitStart - 1) : unitStart)
            }
            guard let rank = SpecDuration.units.firstIndex(where: { $0.0 == unit }) else {
                return fail("unit must be one of ms, s, m, h, d", unitStart, i - unitStart)
            }
            if rank <= previousRank {
                return fail("units must go from largest to smallest, each once (e.g. 1h30m)", unitStart, i - unitStart)
            }
            previousRank = rank
            let (part, o1) = value.multipliedReportingOverflow(by: SpecDuration.units[rank].1)
            let (sum, o2) = total.addingReportingOverflow(part)
            if o1 || o2 { return fail("the duration is too large", numberStart, i - numberStart) }
            total = sum
        }
        return .success(SpecDuration(milliseconds: total))
    }
}

@inline(__always)
func asciiDigit(_ s: Unicode.Scalar) -> Int? {
    s.value >= 48 && s.value <= 57 ? Int(s.value - 48) : nil
}

@inline(__always)
func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
    (s.value >= 65 && s.value <= 90) || (s.value >= 97 && s.value <= 122)
}
