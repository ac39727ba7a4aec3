import Testing
@testable import PipecIO

/// Text → stored value for dates, timestamps and decimals (the numbers were checked with Python's datetime).
@Suite struct ParquetTextTests {
    @Test func dates() {
        #expect(CivilTime.days("1970-01-01") == 0)
        #expect(CivilTime.days("2025-01-01") == 20089)
        #expect(CivilTime.days("2000-03-01") == 11017)
        #expect(CivilTime.days("2024-02-29") == 19782)
        #expect(CivilTime.days("0001-01-01") == -719162)
        #expect(CivilTime.days("9999-12-31") == 2932896)
        for bad in ["2025-02-29", "1900-02-29", "2025-13-01", "2025-04-31", "2025-00-10", "2025-1-1", "20250101",
                    "2025-01-01 00:00:00", "", "infinity"] {
            #expect(CivilTime.days(bad) == nil, "\(bad)")
        }
    }

    @Test func timestamps() {
        let eight = Int64(1_735_718_400) * 1_000_000   // 2025-01-01 08:00:00 UTC
        #expect(CivilTime.microseconds("2025-01-01 08:00:00") == eight)
        #expect(CivilTime.microseconds("2025-01-01T08:00:00Z") == eight)
        #expect(CivilTime.microseconds("2025-01-01 08:00") == eight)
        #expect(CivilTime.microseconds("2025-01-01T08:00:00.5") == eight + 500_000)
        #expect(CivilTime.microseconds("2025-01-01 10:00:00.5+02:00") == eight + 500_000)
        #expect(CivilTime.microseconds("2025-01-01 10:00:00.500000+02") == eight + 500_000)   // PostgreSQL timestamptz
        #expect(CivilTime.microseconds("2025-01-01 03:30:00-0430") == eight)
        #expect(CivilTime.microseconds("2025-01-01 08:00:00 UTC") == eight)
        #expect(CivilTime.microseconds("2025-01-01 08:00:00.123456789") == eight + 123_456)   // nanoseconds truncate
        #expect(CivilTime.microseconds("2025-01-01") == Int64(20089) * 86_400_000_000)
        #expect(CivilTime.microseconds("1969-12-31 23:59:59") == -1_000_000)
        for bad in ["2025-01-01 24:00:00", "2025-01-01 10:60:00", "2025-01-01 10:00:61", "2025-01-01 10", "2025-01-01x10:00",
                    "2025-01-01 10:00:00.", "2025-01-01 10:00:00+2", "2025-01-01 10:00:00 ", "2025-01-01 10:00:00 CET",
                    "2025-02-30 00:00:00", "1735718400"] {
            #expect(CivilTime.microseconds(bad) == nil, "\(bad)")
        }
    }

    @Test func decimals() throws {
        #expect(try DecimalText.int64("123.45", precision: 9, scale: 2) == 12345)
        #expect(try DecimalText.int64("-123.4", precision: 9, scale: 3) == -123400)
        #expect(try DecimalText.int64("+7", precision: 9, scale: 2) == 700)
        #expect(try DecimalText.int64(".5", precision: 3, scale: 1) == 5)
        #expect(try DecimalText.int64("12.", precision: 3, scale: 1) == 120)
        #expect(try DecimalText.int64("-0.00", precision: 3, scale: 2) == 0)
        #expect(try DecimalText.int64("0001.2300", precision: 3, scale: 2) == 123)   // zeros beyond the scale are fine
        #expect(try DecimalText.int64("9999999.99", precision: 9, scale: 2) == 999_999_999)
        #expect(try DecimalText.int64("-999999999999999999", precision: 18, scale: 0) == -999_999_999_999_999_999)
        #expect(throws: DecimalText.Failure.tooManyIntegerDigits) { try DecimalText.int64("10000000.00", precision: 9, scale: 2) }
        #expect(throws: DecimalText.Failure.tooManyFractionDigits) { try DecimalText.int64("1.234", precision: 9, scale: 2) }
        for bad in ["", "-", ".", "1e5", "NaN", "1,5", " 1", "1.2.3", "--1"] {
            #expect(throws: DecimalText.Failure.notADecimal, "\(bad)") { try DecimalText.int64(bad, precision: 9, scale: 2) }
        }
    }

    @Test func wideDecimalsAreBigEndianTwosComplement() throws {
        #expect(ParquetPhysicalType.decimalBytes(precision: 2) == 1)
        #expect(ParquetPhysicalType.decimalBytes(precision: 3) == 2)
        #expect(ParquetPhysicalType.decimalBytes(precision: 18) == 8)
        #expect(ParquetPhysicalType.decimalBytes(precision: 19) == 9)
        #expect(ParquetPhysicalType.decimalBytes(precision: 38) == 16)
        func bytes(_ text: String) throws -> [UInt8] {
            var out: [UInt8] = []
            try DecimalText.bigEndian(text, precision: 20, scale: 2, count: 9, into: &out)
            return out
        }
        #expect(try bytes("1.00") == [0, 0, 0, 0, 0, 0, 0, 0, 100])
        #expect(try bytes("-0.01") == Array(repeating: 0xff, count: 9))
        #expect(try bytes("-1.28") == [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80])
        // 10^20 - 1 = 0x05 6b c7 5e 2d 63 0f ff ff
        #expect(try bytes("999999999999999999.99") == [0x05, 0x6b, 0xc7, 0x5e, 0x2d, 0x63, 0x0f, 0xff, 0xff])
    }

    @Test func booleans() {
        for yes in ["t", "true", "1", "TRUE", "True", "yes", "Y"] { #expect(ParquetColumnChunkBuilder.boolean(yes) == true, "\(yes)") }
        for no in ["f", "false", "0", "FALSE", "no", "N"] { #expect(ParquetColumnChunkBuilder.boolean(no) == false, "\(no)") }
        for bad in ["", "2", "truth", "null"] { #expect(ParquetColumnChunkBuilder.boolean(bad) == nil, "\(bad)") }
    }
}
