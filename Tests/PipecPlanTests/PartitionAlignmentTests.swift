import PipecSchedule
@testable import PipecPlan
import Testing

@Suite struct PartitionAlignmentTests {
    static func interval(_ start: String, _ end: String) throws -> PlanInterval {
        PlanInterval(start: try Timestamp.parse(start, zone: .utc).get(), end: try Timestamp.parse(end, zone: .utc).get())
    }

    @Test func anHourInADayPartitionIsPartial() throws {
        let a = try #require(PartitionAlignment.analyze(partitionBy: "toYYYYMMDD(ts)", column: "ts",
                                                        interval: try Self.interval("2025-03-01T05:00:00Z", "2025-03-01T06:00:00Z")))
        #expect(a.partitions == [.init(id: 20_250_301, covered: false)])
        #expect(a.worthReplacing)
    }

    @Test func aMonthCoversItsMonthPartition() throws {
        let a = try #require(PartitionAlignment.analyze(partitionBy: " toYYYYMM( `ts` ) ", column: "ts",
                                                        interval: try Self.interval("2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z")))
        #expect(a.partitions == [.init(id: 202_512, covered: true)])
        #expect(a.worthReplacing)
    }

    @Test func aDayInAMonthPartitionIsNotWorthReplacing() throws {
        let a = try #require(PartitionAlignment.analyze(partitionBy: "toYYYYMM(ts)", column: "ts",
                                                        interval: try Self.interval("2025-02-28T00:00:00Z", "2025-03-01T00:00:00Z")))
        #expect(a.partitions == [.init(id: 202_502, covered: false)])
        #expect(!a.worthReplacing)
    }

    @Test func intervalsAcrossMidnightTouchTwoDays() throws {
        let a = try #require(PartitionAlignment.analyze(partitionBy: "toYYYYMMDD(ts)", column: "ts",
                                                        interval: try Self.interval("2025-02-28T03:00:00Z", "2025-03-01T03:00:00Z")))
        #expect(a.partitions == [.init(id: 20_250_228, covered: false), .init(id: 20_250_301, covered: false)])
    }

    @Test func otherKeysDoNotAlign() throws {
        let day = try Self.interval("2025-03-01T00:00:00Z", "2025-03-02T00:00:00Z")
        #expect(PartitionAlignment.analyze(partitionBy: "toYYYYMMDD(other)", column: "ts", interval: day) == nil)
        #expect(PartitionAlignment.analyze(partitionBy: "toMonday(ts)", column: "ts", interval: day) == nil)
        #expect(PartitionAlignment.analyze(partitionBy: nil, column: "ts", interval: day) == nil)
    }

    /// A date column sees the days the interval touches, at least one.
    @Test func dateColumnsSeeWholeDays() throws {
        let airflow3 = try Self.interval("2025-09-30T03:00:00Z", "2025-10-01T03:00:00Z")
        #expect(airflow3.seen(by: "Date") == (try Self.interval("2025-09-30T00:00:00Z", "2025-10-01T00:00:00Z")))
        let hour = try Self.interval("2025-09-30T05:00:00Z", "2025-09-30T06:00:00Z")
        #expect(hour.seen(by: "date") == (try Self.interval("2025-09-30T00:00:00Z", "2025-10-01T00:00:00Z")))
        #expect(hour.seen(by: "DateTime") == hour)
    }
}
