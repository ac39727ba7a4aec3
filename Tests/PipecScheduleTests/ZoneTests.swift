import Testing
@testable import PipecSchedule

/// `Zone.localize` resolves wall-clock readings as Airflow's `make_aware` (pendulum, `fold=1`) does.
struct ZoneTests {
    @Test(arguments: [
        ("Europe/Amsterdam", "2025-03-30T02:30", "2025-03-30T01:30:00Z"),   // gap: read with CET, = 03:30 CEST
        ("Europe/Amsterdam", "2025-03-30T02:00", "2025-03-30T01:00:00Z"),
        ("Europe/Amsterdam", "2025-03-30T03:00", "2025-03-30T01:00:00Z"),   // first reading after the gap
        ("Europe/Amsterdam", "2025-10-26T02:30", "2025-10-26T01:30:00Z"),   // fold: the second (CET) occurrence
        ("Europe/Amsterdam", "2025-10-26T01:59", "2025-10-25T23:59:00Z"),
        ("Europe/Amsterdam", "2025-10-26T03:00", "2025-10-26T02:00:00Z"),
        ("America/New_York", "2025-03-09T02:30", "2025-03-09T07:30:00Z"),   // gap: read with EST, = 03:30 EDT
        ("America/New_York", "2025-11-02T01:30", "2025-11-02T06:30:00Z"),   // fold: the EST occurrence
        ("Asia/Kolkata", "2025-03-01T03:00", "2025-02-28T21:30:00Z"),
        ("UTC", "2025-03-30T02:30", "2025-03-30T02:30:00Z"),
    ])
    func localizesLikeAirflow(zoneName: String, reading: String, expected: String) throws {
        #expect(try zone(zoneName).localize(civil(reading)).description == expected)
    }

    @Test func agreesWithInstantsForUnambiguousReadings() throws {
        let amsterdam = try zone("Europe/Amsterdam")
        var reading = CivilDateTime(year: 2025, month: 1, day: 1)
        for _ in 0..<400 {
            let all = amsterdam.instants(for: reading)
            if all.count == 1 { #expect(amsterdam.localize(reading) == all[0]) }
            reading = CivilDateTime(CivilDateTime(year: reading.year, month: reading.month, day: reading.day, hour: reading.hour)
                .instant(offsetSeconds: 0).adding(seconds: 86_400 + 3600), offsetSeconds: 0)
        }
    }

    @Test func foldAndGapAreWhatInstantsReports() throws {
        let amsterdam = try zone("Europe/Amsterdam")
        #expect(amsterdam.instants(for: try civil("2025-03-30T02:30")).isEmpty)
        let fold = amsterdam.instants(for: try civil("2025-10-26T02:30"))
        #expect(fold.map(\.description) == ["2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z"])
        #expect(amsterdam.localize(try civil("2025-10-26T02:30")) == fold.last)
    }
}
