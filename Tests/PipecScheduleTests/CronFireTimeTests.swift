import Testing
@testable import PipecSchedule

/// Fire times on the naive wall clock. Expected values were produced by croniter 7.0.0 (the library Airflow 2.10
/// and 3.x use) with `get_next` / `get_prev` from the same start.
struct CronWallClockTests {
    static let croniterTable: [(String, String, [String], [String])] = [
        ("0 0 13 * 5", "2025-06-01T00:00", ["2025-06-06T00:00", "2025-06-13T00:00", "2025-06-20T00:00", "2025-06-27T00:00", "2025-07-04T00:00"], ["2025-05-30T00:00", "2025-05-23T00:00", "2025-05-16T00:00"]),
        ("0 0 1-31 * 1", "2025-06-01T00:00", ["2025-06-02T00:00", "2025-06-03T00:00", "2025-06-04T00:00", "2025-06-05T00:00", "2025-06-06T00:00"], ["2025-05-31T00:00", "2025-05-30T00:00", "2025-05-29T00:00"]),
        ("0 0 1 * 0-6", "2025-06-01T00:00", ["2025-06-02T00:00", "2025-06-03T00:00", "2025-06-04T00:00", "2025-06-05T00:00", "2025-06-06T00:00"], ["2025-05-31T00:00", "2025-05-30T00:00", "2025-05-29T00:00"]),
        ("0 0 1-31 * */2", "2025-06-01T00:00", ["2025-06-03T00:00", "2025-06-05T00:00", "2025-06-07T00:00", "2025-06-08T00:00", "2025-06-10T00:00"], ["2025-05-31T00:00", "2025-05-29T00:00", "2025-05-27T00:00"]),
        ("0 0 */2 * 1", "2025-06-01T00:00", ["2025-06-02T00:00", "2025-06-03T00:00", "2025-06-05T00:00", "2025-06-07T00:00", "2025-06-09T00:00"], ["2025-05-31T00:00", "2025-05-29T00:00", "2025-05-27T00:00"]),
        ("5/15 * * * *", "2025-06-01T00:00", ["2025-06-01T00:05", "2025-06-01T00:20", "2025-06-01T00:35", "2025-06-01T00:50", "2025-06-01T01:05"], ["2025-05-31T23:50", "2025-05-31T23:35", "2025-05-31T23:20"]),
        ("0 0 * * FRI-MON", "2025-06-01T00:00", ["2025-06-02T00:00", "2025-06-06T00:00", "2025-06-07T00:00", "2025-06-08T00:00", "2025-06-09T00:00"], ["2025-05-31T00:00", "2025-05-30T00:00", "2025-05-26T00:00"]),
        ("0 0 29 2 *", "2025-03-01T00:00", ["2028-02-29T00:00", "2032-02-29T00:00", "2036-02-29T00:00", "2040-02-29T00:00", "2044-02-29T00:00"], ["2024-02-29T00:00", "2020-02-29T00:00", "2016-02-29T00:00"]),
        ("0 0 29 2 *", "2096-03-01T00:00", ["2104-02-29T00:00", "2108-02-29T00:00", "2112-02-29T00:00", "2116-02-29T00:00", "2120-02-29T00:00"], ["2096-02-29T00:00", "2092-02-29T00:00", "2088-02-29T00:00"]),
        ("0 0 31 * *", "2025-01-31T00:00", ["2025-03-31T00:00", "2025-05-31T00:00", "2025-07-31T00:00", "2025-08-31T00:00", "2025-10-31T00:00"], ["2024-12-31T00:00", "2024-10-31T00:00", "2024-08-31T00:00"]),
        ("59 23 28-31 * *", "2025-02-01T00:00", ["2025-02-28T23:59", "2025-03-28T23:59", "2025-03-29T23:59", "2025-03-30T23:59", "2025-03-31T23:59"], ["2025-01-31T23:59", "2025-01-30T23:59", "2025-01-29T23:59"]),
        ("0 12 * * 0-7/2", "2025-06-01T00:00", ["2025-06-01T12:00", "2025-06-03T12:00", "2025-06-05T12:00", "2025-06-07T12:00", "2025-06-08T12:00"], ["2025-05-31T12:00", "2025-05-29T12:00", "2025-05-27T12:00"]),
        ("0 0 1 jan,Mar *", "2025-06-01T00:00", ["2026-01-01T00:00", "2026-03-01T00:00", "2027-01-01T00:00", "2027-03-01T00:00", "2028-01-01T00:00"], ["2025-03-01T00:00", "2025-01-01T00:00", "2024-03-01T00:00"]),
        ("*/70 * * * *", "2025-06-01T00:00", ["2025-06-01T01:00", "2025-06-01T02:00", "2025-06-01T03:00", "2025-06-01T04:00", "2025-06-01T05:00"], ["2025-05-31T23:00", "2025-05-31T22:00", "2025-05-31T21:00"]),
        ("0 0 29 2 1", "2025-01-01T00:00", ["2025-02-03T00:00", "2025-02-10T00:00", "2025-02-17T00:00", "2025-02-24T00:00", "2026-02-02T00:00"], ["2024-02-29T00:00", "2024-02-26T00:00", "2024-02-19T00:00"]),
        ("30 9 1,15 * MON-FRI", "2025-06-01T00:00", ["2025-06-01T09:30", "2025-06-02T09:30", "2025-06-03T09:30", "2025-06-04T09:30", "2025-06-05T09:30"], ["2025-05-30T09:30", "2025-05-29T09:30", "2025-05-28T09:30"]),
        ("0 0 * NOV-FEB *", "2025-03-01T00:00", ["2025-11-01T00:00", "2025-11-02T00:00", "2025-11-03T00:00", "2025-11-04T00:00", "2025-11-05T00:00"], ["2025-02-28T00:00", "2025-02-27T00:00", "2025-02-26T00:00"]),
        ("0 6 * * 1", "2025-01-01T00:00", ["2025-01-06T06:00", "2025-01-13T06:00", "2025-01-20T06:00", "2025-01-27T06:00", "2025-02-03T06:00"], ["2024-12-30T06:00", "2024-12-23T06:00", "2024-12-16T06:00"]),
        ("0 0 1 */3 *", "2025-02-01T00:00", ["2025-04-01T00:00", "2025-07-01T00:00", "2025-10-01T00:00", "2026-01-01T00:00", "2026-04-01T00:00"], ["2025-01-01T00:00", "2024-10-01T00:00", "2024-07-01T00:00"]),
    ]

    @Test(arguments: croniterTable)
    func matchesCroniter(expression: String, start: String, nexts: [String], previouses: [String]) throws {
        let c = try cron(expression)
        var reading = try civil(start)
        var found: [String] = []
        for _ in nexts.indices {
            reading = try #require(c.nextMatch(after: reading))
            found.append(minuteString(reading))
        }
        #expect(found == nexts)
        reading = try civil(start)
        found = []
        for _ in previouses.indices {
            reading = try #require(c.previousMatch(before: reading))
            found.append(minuteString(reading))
        }
        #expect(found == previouses)
        // In UTC the zone-aware search is the wall-clock search.
        let first = try #require(c.next(after: try utc(start)))
        #expect(String(first.description.prefix(16)) == nexts[0])
    }

    @Test func partialMinutesCountAsBefore() throws {
        let c = try cron("17 10 * * *")
        #expect(try c.previousMatch(before: civil("2025-01-01T10:17:30")).map(minuteString) == "2025-01-01T10:17")
        #expect(try c.previous(before: utc("2025-01-01T10:17:00.000005Z")) == utc("2025-01-01T10:17:00Z"))
        #expect(try c.next(after: utc("2025-01-01T10:16:59.999Z")) == utc("2025-01-01T10:17:00Z"))
        #expect(try c.next(after: utc("2025-01-01T10:17:00Z")) == utc("2025-01-02T10:17:00Z"))
    }

    @Test func monthEndsAndLeapYears() throws {
        let c = try cron("0 0 31 * *")
        var t = try utc("2024-01-01")
        var found: [String] = []
        for _ in 0..<7 {
            t = try #require(c.next(after: t))
            found.append(AirflowFormat.ds(t))
        }
        #expect(found == ["2024-01-31", "2024-03-31", "2024-05-31", "2024-07-31", "2024-08-31", "2024-10-31", "2024-12-31"])
        // 1900 and 2100 are not leap years, 2000 is.
        let leap = try cron("0 0 29 2 *")
        #expect(try leap.next(after: utc("1897-01-01")).map(AirflowFormat.ds) == "1904-02-29")
        #expect(try leap.next(after: utc("1999-01-01")).map(AirflowFormat.ds) == "2000-02-29")
        #expect(try leap.previous(before: utc("2104-01-01")).map(AirflowFormat.ds) == "2096-02-29")
    }

    @Test func matchesAppliesTheDayRule() throws {
        let c = try cron("30 9 13 * 5")
        #expect(try c.matches(civil("2025-06-13T09:30")))   // the 13th (a Friday)
        #expect(try c.matches(civil("2025-06-06T09:30")))   // a Friday
        #expect(try c.matches(civil("2025-07-13T09:30")))   // the 13th (a Sunday)
        #expect(try !c.matches(civil("2025-06-07T09:30")))
        #expect(try !c.matches(civil("2025-06-13T09:31")))
        let weekdays = try cron("0 9 * * MON-FRI")
        #expect(try weekdays.matches(civil("2025-06-02T09:00")))
        #expect(try !weekdays.matches(civil("2025-06-01T09:00")))
    }

    @Test(arguments: ["0 3 * * *", "*/7 * * * *", "0 0 13 * 5", "15 10 L-1 * *".replacingOccurrences(of: "L-1", with: "28-31"),
                      "0 6 * * 1", "@monthly", "5 4 29 2 *", "0 */5 1,15 1-6 *"])
    func previousInvertsNextInUTC(expression: String) throws {
        let c = try cron(expression)
        var t = try utc("2023-12-30T17:43:00Z")
        for _ in 0..<200 {
            let next = try #require(c.next(after: t))
            #expect(next > t)
            #expect(c.previous(before: next).map { $0 <= t } == true)
            #expect(c.next(after: try #require(c.previous(before: next))) == next)
            #expect(c.matches(CivilDateTime(next, offsetSeconds: 0)))
            t = next
        }
    }

    @Test func previousInvertsNextAwayFromDSTChanges() throws {
        let amsterdam = try zone("Europe/Amsterdam")
        for expression in ["0 3 * * *", "30 2 * * *", "0 * * * *", "0 0 * * 0"] {
            let c = try cron(expression)
            var t = try utc("2025-05-01T00:00:00Z")
            for _ in 0..<100 {
                let next = try #require(c.next(after: t, in: amsterdam))
                #expect(c.previous(before: next, in: amsterdam).map { $0 <= t } == true)
                #expect(c.matches(amsterdam.civil(next)))
                t = next
            }
        }
    }
}

/// Fire times in zones with DST. Expected values were produced with Airflow 2.10.5's own
/// `CronDataIntervalTimetable._get_next` / `_get_prev` (the same `CronMixin` as Airflow 3's timetables):
/// each row lists consecutive `_get_next` answers from `start`, then `_get_prev` of each of those answers.
struct CronZoneTests {
    static let airflowTable: [(String, String, String, [String], [String])] = [
        ("30 2 * * *", "Europe/Amsterdam", "2025-03-28T00:00Z", ["2025-03-28T01:30:00Z", "2025-03-29T01:30:00Z", "2025-03-30T01:30:00Z", "2025-03-31T00:30:00Z", "2025-04-01T00:30:00Z"], ["2025-03-27T01:30:00Z", "2025-03-28T01:30:00Z", "2025-03-30T01:30:00Z", "2025-03-30T01:30:00Z", "2025-03-31T00:30:00Z"]),
        ("30 2 * * *", "Europe/Amsterdam", "2025-10-24T00:00Z", ["2025-10-24T00:30:00Z", "2025-10-25T00:30:00Z", "2025-10-26T01:30:00Z", "2025-10-27T01:30:00Z", "2025-10-28T01:30:00Z"], ["2025-10-23T00:30:00Z", "2025-10-24T00:30:00Z", "2025-10-25T00:30:00Z", "2025-10-26T01:30:00Z", "2025-10-27T01:30:00Z"]),
        ("0 * * * *", "Europe/Amsterdam", "2025-03-30T00:00Z", ["2025-03-30T01:00:00Z", "2025-03-30T02:00:00Z", "2025-03-30T03:00:00Z", "2025-03-30T04:00:00Z", "2025-03-30T05:00:00Z"], ["2025-03-30T00:00:00Z", "2025-03-30T01:00:00Z", "2025-03-30T02:00:00Z", "2025-03-30T03:00:00Z", "2025-03-30T04:00:00Z"]),
        ("0 * * * *", "Europe/Amsterdam", "2025-10-26T00:00Z", ["2025-10-26T01:00:00Z", "2025-10-26T02:00:00Z", "2025-10-26T03:00:00Z", "2025-10-26T04:00:00Z", "2025-10-26T05:00:00Z", "2025-10-26T06:00:00Z"], ["2025-10-26T00:00:00Z", "2025-10-26T01:00:00Z", "2025-10-26T02:00:00Z", "2025-10-26T03:00:00Z", "2025-10-26T04:00:00Z", "2025-10-26T05:00:00Z"]),
        ("*/30 * * * *", "Europe/Amsterdam", "2025-10-26T00:00Z", ["2025-10-26T00:30:00Z", "2025-10-26T01:00:00Z", "2025-10-26T01:30:00Z", "2025-10-26T02:00:00Z", "2025-10-26T02:30:00Z", "2025-10-26T03:00:00Z"], ["2025-10-26T00:00:00Z", "2025-10-26T00:30:00Z", "2025-10-26T01:00:00Z", "2025-10-26T01:30:00Z", "2025-10-26T02:00:00Z", "2025-10-26T02:30:00Z"]),
        ("30 1,2 * * *", "Europe/Amsterdam", "2025-10-25T23:00Z", ["2025-10-25T23:30:00Z", "2025-10-26T01:30:00Z", "2025-10-27T00:30:00Z", "2025-10-27T01:30:00Z", "2025-10-28T00:30:00Z"], ["2025-10-25T00:30:00Z", "2025-10-25T23:30:00Z", "2025-10-26T01:30:00Z", "2025-10-27T00:30:00Z", "2025-10-27T01:30:00Z"]),
        ("0 0 * * 0", "Europe/Amsterdam", "2025-10-20T00:00Z", ["2025-10-25T22:00:00Z", "2025-11-01T23:00:00Z", "2025-11-08T23:00:00Z"], ["2025-10-18T22:00:00Z", "2025-10-25T22:00:00Z", "2025-11-01T23:00:00Z"]),
        ("30 2 * * *", "America/New_York", "2025-03-08T00:00Z", ["2025-03-08T07:30:00Z", "2025-03-09T07:30:00Z", "2025-03-10T06:30:00Z", "2025-03-11T06:30:00Z"], ["2025-03-07T07:30:00Z", "2025-03-09T07:30:00Z", "2025-03-09T07:30:00Z", "2025-03-10T06:30:00Z"]),
        ("30 1 * * *", "America/New_York", "2025-11-01T00:00Z", ["2025-11-01T05:30:00Z", "2025-11-02T06:30:00Z", "2025-11-03T06:30:00Z", "2025-11-04T06:30:00Z"], ["2025-10-31T05:30:00Z", "2025-11-01T05:30:00Z", "2025-11-02T06:30:00Z", "2025-11-03T06:30:00Z"]),
        ("30 1 * * *", "America/New_York", "2025-11-02T05:45Z", ["2025-11-03T06:30:00Z", "2025-11-04T06:30:00Z"], ["2025-11-02T06:30:00Z", "2025-11-03T06:30:00Z"]),
        ("0 */2 * * *", "America/New_York", "2025-11-01T22:00Z", ["2025-11-02T00:00:00Z", "2025-11-02T02:00:00Z", "2025-11-02T04:00:00Z", "2025-11-02T07:00:00Z", "2025-11-02T09:00:00Z", "2025-11-02T11:00:00Z"], ["2025-11-01T22:00:00Z", "2025-11-02T00:00:00Z", "2025-11-02T02:00:00Z", "2025-11-02T04:00:00Z", "2025-11-02T07:00:00Z", "2025-11-02T09:00:00Z"]),
        ("15 * * * *", "America/New_York", "2025-03-09T05:00Z", ["2025-03-09T05:15:00Z", "2025-03-09T06:15:00Z", "2025-03-09T07:15:00Z", "2025-03-09T08:15:00Z", "2025-03-09T09:15:00Z"], ["2025-03-09T04:15:00Z", "2025-03-09T05:15:00Z", "2025-03-09T06:15:00Z", "2025-03-09T07:15:00Z", "2025-03-09T08:15:00Z"]),
        ("15 * * * *", "America/New_York", "2025-11-02T04:00Z", ["2025-11-02T04:15:00Z", "2025-11-02T05:15:00Z", "2025-11-02T06:15:00Z", "2025-11-02T07:15:00Z", "2025-11-02T08:15:00Z"], ["2025-11-02T03:15:00Z", "2025-11-02T04:15:00Z", "2025-11-02T05:15:00Z", "2025-11-02T06:15:00Z", "2025-11-02T07:15:00Z"]),
        ("0 3 * * *", "Asia/Kolkata", "2025-03-01T00:00Z", ["2025-03-01T21:30:00Z", "2025-03-02T21:30:00Z"], ["2025-02-28T21:30:00Z", "2025-03-01T21:30:00Z"]),
    ]

    @Test(arguments: airflowTable)
    func matchesAirflow(expression: String, zoneName: String, start: String, nexts: [String], previouses: [String]) throws {
        let c = try cron(expression)
        let z = try zone(zoneName)
        var t = try utc(start)
        var found: [String] = []
        for _ in nexts.indices {
            t = try #require(c.airflowNext(t, in: z))
            found.append(t.description)
        }
        #expect(found == nexts)
        #expect(try nexts.map { try #require(c.airflowPrevious(try utc($0), in: z)).description } == previouses)
        // The public search agrees with Airflow's `_get_next` ...
        t = try utc(start)
        for expected in nexts {
            t = try #require(c.next(after: t, in: z))
            #expect(t.description == expected)
        }
        // ... and with `_get_prev` wherever Airflow's answer is strictly earlier.
        for (at, expected) in zip(nexts, previouses) where expected < at {
            #expect(try c.previous(before: utc(at), in: z)?.description == expected)
        }
    }

    @Test func springGapDailyJobRunsPastTheGap() throws {
        let c = try cron("30 2 * * *")
        let amsterdam = try zone("Europe/Amsterdam")
        let fire = try #require(c.next(after: utc("2025-03-29T12:00:00Z"), in: amsterdam))
        #expect(fire.description == "2025-03-30T01:30:00Z")   // 03:30 CEST: 02:30 does not exist that day
        // Strictly before that fire time is the previous day's run, although Airflow's own `_get_prev` answers
        // the fire time itself (which is what Airflow 2 renders as prev_ds).
        #expect(c.previous(before: fire, in: amsterdam)?.description == "2025-03-29T01:30:00Z")
        #expect(c.airflowPrevious(fire, in: amsterdam) == fire)
    }

    @Test func autumnFoldDailyJobRunsOnce() throws {
        let c = try cron("30 2 * * *")
        let amsterdam = try zone("Europe/Amsterdam")
        var t = try utc("2025-10-25T12:00:00Z")
        var fires: [String] = []
        while t < (try utc("2025-10-27T12:00:00Z")) {
            t = try #require(c.next(after: t, in: amsterdam))
            fires.append(t.description)
        }
        #expect(fires == ["2025-10-26T01:30:00Z", "2025-10-27T01:30:00Z", "2025-10-28T01:30:00Z"])
    }

    @Test func hourlyJobRunsEveryRealHourThroughBothChanges() throws {
        let c = try cron("@hourly")
        for (zoneName, from) in [("Europe/Amsterdam", "2025-03-29T20:00:00Z"), ("Europe/Amsterdam", "2025-10-25T20:00:00Z"),
                                 ("America/New_York", "2025-03-09T02:00:00Z"), ("America/New_York", "2025-11-02T02:00:00Z")] {
            let z = try zone(zoneName)
            var t = try utc(from)
            for _ in 0..<12 {
                let next = try #require(c.next(after: t, in: z))
                #expect(next.seconds - t.seconds == 3600, "\(zoneName) after \(t)")
                t = next
            }
        }
    }
}
