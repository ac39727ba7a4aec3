/// The strings Airflow's template context renders for instants, byte for byte (checked against Airflow 2.10 and
/// 3.x by the golden test). Airflow renders `ds`, `ts` and their variants from the UTC logical date whatever the
/// DAG's time zone, so every function here works in UTC.
public enum AirflowFormat {
    /// `{{ ds }}`: `2025-03-01`.
    public static func ds(_ instant: Instant) -> String {
        render(CivilDateTime(instant, offsetSeconds: 0), date: "-", time: nil)
    }

    /// `{{ ds_nodash }}`: `20250301`.
    public static func dsNodash(_ instant: Instant) -> String {
        render(CivilDateTime(instant, offsetSeconds: 0), date: nil, time: nil)
    }

    /// `{{ ts }}`: Python's `isoformat()`, `2025-03-01T03:00:00+00:00` (`.ffffff` only when there are microseconds).
    public static func ts(_ instant: Instant) -> String { isoformat(instant) }

    /// `{{ ts_nodash }}`: `strftime('%Y%m%dT%H%M%S')`, `20250301T030000` (microseconds dropped).
    public static func tsNodash(_ instant: Instant) -> String {
        var c = CivilDateTime(instant, offsetSeconds: 0)
        c.microsecond = 0
        return render(c, date: nil, time: (separator: "T", colon: nil))
    }

    /// `{{ ts_nodash_with_tz }}`: `ts` without `-` and `:`, `20250301T030000+0000`.
    public static func tsNodashWithTz(_ instant: Instant) -> String {
        String(String.UnicodeScalarView(ts(instant).unicodeScalars.filter { $0 != "-" && $0 != ":" }))
    }

    /// `{{ logical_date }}`, `{{ data_interval_start }}`, ...: `str()` of a pendulum 3 DateTime,
    /// `2025-03-01 03:00:00+00:00` (pendulum 2, only found with Airflow <= 2.8, used `T` instead of the space).
    public static func pendulumString(_ instant: Instant, offsetSeconds: Int = 0) -> String {
        isoformat(instant, offsetSeconds: offsetSeconds, separator: " ")
    }

    /// Python's `datetime.isoformat(sep)` at a UTC offset: `2025-03-01T04:00:00+01:00`.
    public static func isoformat(_ instant: Instant, offsetSeconds: Int = 0, separator: Unicode.Scalar = "T") -> String {
        render(CivilDateTime(instant, offsetSeconds: offsetSeconds), date: "-", time: (separator: separator, colon: ":"),
               offset: offsetSeconds)
    }

    /// Writes `YYYY-MM-DD`, then optionally `<sep>HH:MM:SS[.ffffff]` and `+HH:MM`, digit by digit: run ids and
    /// context strings are formatted once per run, and string interpolation would dominate enumerating runs.
    /// `date`/`colon` nil leave the separators out (the `_nodash` forms).
    static func render(_ c: CivilDateTime, date: Unicode.Scalar?, time: (separator: Unicode.Scalar, colon: Unicode.Scalar?)?,
                       offset: Int? = nil) -> String {
        let dateSeparator = date.map { UInt8(truncatingIfNeeded: $0.value) }
        let timeSeparator = time.map { UInt8(truncatingIfNeeded: $0.separator.value) }
        let colon = time?.colon.map { UInt8(truncatingIfNeeded: $0.value) }
        return String(unsafeUninitializedCapacity: 40) { buffer in
            var count = 0
            func put(_ byte: UInt8?) {
                guard let byte else { return }
                buffer[count] = byte
                count += 1
            }
            func digits(_ value: Int, _ divisor: Int) {
                var divisor = divisor
                while divisor > 0 {
                    buffer[count] = UInt8(48 + value / divisor % 10)
                    count += 1
                    divisor /= 10
                }
            }
            digits(c.year, 1000)
            put(dateSeparator)
            digits(c.month, 10)
            put(dateSeparator)
            digits(c.day, 10)
            if let timeSeparator {
                put(timeSeparator)
                digits(c.hour, 10)
                put(colon)
                digits(c.minute, 10)
                put(colon)
                digits(c.second, 10)
                if c.microsecond != 0 {
                    put(46)   // "."
                    digits(c.microsecond, 100_000)
                }
            }
            if let offset {
                put(offset < 0 ? 45 : 43)   // "-" or "+"
                digits(abs(offset) / 3600, 10)
                put(58)   // ":"
                digits(abs(offset) % 3600 / 60, 10)
            }
            return count
        }
    }

    /// `{{ run_id }}` of a run: `scheduled__2025-03-01T03:00:00+00:00`.
    public static func runId(_ type: RunType, _ instant: Instant) -> String { type.runIdPrefix + isoformat(instant) }
}

