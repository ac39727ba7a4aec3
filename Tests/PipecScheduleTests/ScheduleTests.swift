import Testing
@testable import PipecSchedule

struct ScheduleTests {
    func daily(_ semantics: ScheduleSemantics, start: String = "2025-01-01", end: String? = nil, catchup: Bool = true,
               cronText: String = "0 3 * * *", zoneName: String = "UTC") throws -> Schedule {
        let z = try zone(zoneName)
        return Schedule(kind: .cron(try cron(cronText)), start: try Timestamp.parse(start, zone: z).get(),
                        end: try end.map { try Timestamp.parse($0, zone: z).get() }, zone: z, semantics: semantics,
                        catchup: catchup)
    }

    @Test func airflow2DailyRun() throws {
        let run = try daily(.airflow2).runTimes(logicalDate: utc("2025-03-01T03:00:00Z"))
        #expect(run.logicalDate == (try utc("2025-03-01T03:00:00Z")))
        #expect(run.dataIntervalStart == run.logicalDate)
        #expect(run.dataIntervalEnd == (try utc("2025-03-02T03:00:00Z")))
        #expect(run.runAfter == run.dataIntervalEnd)
        #expect(run.previousLogicalDate == (try utc("2025-02-28T03:00:00Z")))
        #expect(run.nextLogicalDate == (try utc("2025-03-02T03:00:00Z")))
        #expect(run.runId == "scheduled__2025-03-01T03:00:00+00:00")
        #expect(run.semantics == .airflow2)
    }

    @Test func airflow3DailyRun() throws {
        let run = try daily(.airflow3).runTimes(logicalDate: utc("2025-03-01T03:00:00Z"))
        #expect(run.dataIntervalStart == run.logicalDate)
        #expect(run.dataIntervalEnd == run.logicalDate)
        #expect(run.runAfter == run.logicalDate)
        #expect(run.previousLogicalDate == nil)
        #expect(run.nextLogicalDate == nil)
        #expect(run.runId == "scheduled__2025-03-01T03:00:00+00:00")
    }

    @Test func manualRunTypeChangesTheRunId() throws {
        let a2 = try daily(.airflow2).runTimes(logicalDate: utc("2025-03-01T03:00:00Z"), runType: .manual)
        #expect(a2.runId == "manual__2025-03-01T03:00:00+00:00")
        // Airflow 2 gives an externally triggered run prev_ds = next_ds = ds.
        #expect(a2.previousLogicalDate == a2.logicalDate)
        #expect(a2.nextLogicalDate == a2.logicalDate)
        #expect(a2.dataIntervalEnd == (try utc("2025-03-02T03:00:00Z")))
        let a3 = try daily(.airflow3).runTimes(logicalDate: utc("2025-03-01T03:00:00Z"), runType: .manual)
        #expect(a3.runId == "manual__2025-03-01T03:00:00+00:00")
        #expect(a3.previousLogicalDate == nil)
    }

    @Test func runsFromThroughAreInclusiveAndClipped() throws {
        let schedule = try daily(.airflow2, start: "2025-01-03T03:00:00Z", end: "2025-01-06T03:00:00Z")
        let all = schedule.runs(from: try utc("2025-01-01"), through: try utc("2025-01-31"))
        #expect(all.map { AirflowFormat.ds($0.logicalDate) } == ["2025-01-03", "2025-01-04", "2025-01-05", "2025-01-06"])
        let window = schedule.runs(from: try utc("2025-01-04T03:00:00Z"), through: try utc("2025-01-05T03:00:00Z"))
        #expect(window.map(\.logicalDate.description) == ["2025-01-04T03:00:00Z", "2025-01-05T03:00:00Z"])
        #expect(schedule.runs(from: try utc("2025-01-07"), through: try utc("2025-01-09")).isEmpty)
        #expect(schedule.runs(from: try utc("2025-01-05"), through: try utc("2025-01-04")).isEmpty)
    }

    @Test func unalignedStartBeginsAtTheNextFireTime() throws {
        for semantics in ScheduleSemantics.allCases {
            let schedule = try daily(semantics, start: "2025-01-01T10:17")
            let runs = schedule.runs(from: try utc("2025-01-01"), through: try utc("2025-01-03T12:00"))
            #expect(runs.map(\.logicalDate.description) == ["2025-01-02T03:00:00Z", "2025-01-03T03:00:00Z"])
        }
    }

    @Test func runsForDs() throws {
        let dailyRuns = try daily(.airflow2).runs(forDs: CivilDateTime(year: 2025, month: 3, day: 1))
        #expect(dailyRuns.map(\.runId) == ["scheduled__2025-03-01T03:00:00+00:00"])
        for semantics in ScheduleSemantics.allCases {
            let hourly = try daily(semantics, cronText: "@hourly").runs(forDs: CivilDateTime(year: 2025, month: 3, day: 1))
            #expect(hourly.count == 24)
            #expect(hourly.first?.logicalDate == (try utc("2025-03-01T00:00:00Z")))
            #expect(hourly.last?.logicalDate == (try utc("2025-03-01T23:00:00Z")))
            #expect(Set(hourly.map { AirflowFormat.ds($0.logicalDate) }) == ["2025-03-01"])
        }
    }

    @Test func dsIsTheUTCDateEvenInOtherZones() throws {
        // Local midnight in Amsterdam is 23:00 UTC the day before, so that run's ds is the previous date.
        let schedule = try daily(.airflow2, start: "2025-03-01", cronText: "0 0 * * *", zoneName: "Europe/Amsterdam")
        let runs = schedule.runs(forDs: CivilDateTime(year: 2025, month: 3, day: 29))
        #expect(runs.map(\.logicalDate.description) == ["2025-03-29T23:00:00Z"])
        #expect(runs.first?.dataIntervalEnd.description == "2025-03-30T22:00:00Z")   // a 23-hour day
    }

    @Test func runsFromDsThroughDs() throws {
        let runs = try daily(.airflow2).runs(fromDs: CivilDateTime(year: 2025, month: 1, day: 1),
                                             throughDs: CivilDateTime(year: 2025, month: 1, day: 7))
        #expect(runs.map { AirflowFormat.ds($0.logicalDate) }
            == ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05", "2025-01-06", "2025-01-07"])
    }

    @Test func dueRunsWithCatchup() throws {
        let now = try utc("2025-01-05T04:00:00Z")
        // airflow2 waits for the interval to end: the 01-05 interval ends on 01-06.
        #expect(try daily(.airflow2).dueRuns(now: now).map { AirflowFormat.ds($0.logicalDate) }
            == ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"])
        #expect(try daily(.airflow3).dueRuns(now: now).map { AirflowFormat.ds($0.logicalDate) }
            == ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05"])
        // Exactly at a fire time, that run (airflow3) or the interval ending there (airflow2) is due.
        let boundary = try utc("2025-01-05T03:00:00Z")
        #expect(try daily(.airflow2).dueRuns(now: boundary).last?.logicalDate == (try utc("2025-01-04T03:00:00Z")))
        #expect(try daily(.airflow3).dueRuns(now: boundary).last?.logicalDate == boundary)
    }

    @Test func dueRunsWithoutCatchupGiveOnlyTheLatest() throws {
        let now = try utc("2025-06-10T12:00:00Z")
        #expect(try daily(.airflow2, catchup: false).dueRuns(now: now).map(\.logicalDate.description) == ["2025-06-09T03:00:00Z"])
        #expect(try daily(.airflow3, catchup: false).dueRuns(now: now).map(\.logicalDate.description) == ["2025-06-10T03:00:00Z"])
        // Nothing is due before the first interval completes.
        #expect(try daily(.airflow2, start: "2025-06-10", catchup: false).dueRuns(now: now).isEmpty)
        #expect(try daily(.airflow3, start: "2025-06-10", catchup: false).dueRuns(now: now).count == 1)
        // No start date: nothing to catch up from, so the latest.
        var noStart = try daily(.airflow2)
        noStart.start = nil
        noStart.catchup = true
        #expect(noStart.dueRuns(now: now).map(\.logicalDate.description) == ["2025-06-09T03:00:00Z"])
    }

    @Test func dueRunsRespectEnd() throws {
        let schedule = try daily(.airflow2, end: "2025-01-03T03:00:00Z")
        let now = try utc("2025-02-01")
        #expect(schedule.dueRuns(now: now).map { AirflowFormat.ds($0.logicalDate) } == ["2025-01-01", "2025-01-02", "2025-01-03"])
        var latestOnly = schedule
        latestOnly.catchup = false
        #expect(latestOnly.dueRuns(now: now).map { AirflowFormat.ds($0.logicalDate) } == ["2025-01-03"])
    }

    @Test func onceRunsAtStart() throws {
        let start = try utc("2025-02-03T04:05:00Z")
        for semantics in ScheduleSemantics.allCases {
            let once = Schedule(kind: .once, start: start, semantics: semantics)
            let runs = once.runs(from: try utc("2025-01-01"), through: try utc("2025-12-31"))
            #expect(runs.count == 1)
            #expect(runs.first?.logicalDate == start)
            #expect(runs.first?.dataIntervalEnd == start)
            #expect(runs.first?.runId == "scheduled__2025-02-03T04:05:00+00:00")
            #expect(runs.first?.previousLogicalDate == nil)
            #expect(once.runs(forDs: CivilDateTime(year: 2025, month: 2, day: 3)).count == 1)
            #expect(once.runs(forDs: CivilDateTime(year: 2025, month: 2, day: 4)).isEmpty)
            #expect(once.dueRuns(now: try utc("2025-02-03T04:04:59Z")).isEmpty)
            #expect(once.dueRuns(now: try utc("2025-03-01")).count == 1)
        }
        #expect(Schedule(kind: .once).runs(from: try utc("2025-01-01"), through: try utc("2025-12-31")).isEmpty)
    }

    @Test func manualRunsOnlyWhenAsked() throws {
        let manual = Schedule(kind: .manual, semantics: .airflow2)
        #expect(manual.runs(from: try utc("2025-01-01"), through: try utc("2025-12-31")).isEmpty)
        #expect(manual.dueRuns(now: try utc("2025-12-31")).isEmpty)
        let runs = manual.runs(forDs: CivilDateTime(year: 2025, month: 3, day: 1))
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(run.logicalDate == (try utc("2025-03-01")))
        #expect(run.dataIntervalStart == run.logicalDate)
        #expect(run.dataIntervalEnd == (try utc("2025-03-02")))
        #expect(run.runId == "manual__2025-03-01T00:00:00+00:00")
        let week = manual.runs(fromDs: CivilDateTime(year: 2025, month: 3, day: 1), throughDs: CivilDateTime(year: 2025, month: 3, day: 7))
        #expect(week.count == 7)
        #expect(week.last?.runId == "manual__2025-03-07T00:00:00+00:00")
    }

    @Test func scheduleKindParsing() throws {
        #expect(try ScheduleKind.parse("@once").get() == .once)
        #expect(try ScheduleKind.parse("@daily").get() == .cron(cron("@daily")))
        #expect(failure(ScheduleKind.parse("@often"))?.message.hasPrefix("invalid cron expression '@often': unknown preset") == true)
    }

    @Test func airflow2ChainFollowsTheSpringGap() throws {
        // Airflow 2.10 measured: the 02:30 run of 2025-03-30 is at 03:30 CEST and its interval is 23 hours; its
        // prev_ds is 2025-03-30 (Airflow's `_get_prev` quirk), not the previous run's 2025-03-29.
        let schedule = try daily(.airflow2, start: "2025-03-29", cronText: "30 2 * * *", zoneName: "Europe/Amsterdam")
        let runs = schedule.runs(from: try utc("2025-03-28"), through: try utc("2025-03-31T12:00:00Z"))
        #expect(runs.map(\.logicalDate.description) == ["2025-03-29T01:30:00Z", "2025-03-30T01:30:00Z", "2025-03-31T00:30:00Z"])
        #expect(runs[1].dataIntervalEnd.seconds - runs[1].dataIntervalStart.seconds == 23 * 3600)
        #expect(runs[1].previousLogicalDate.map(AirflowFormat.ds) == "2025-03-30")
    }
}

/// Australia/Lord_Howe falls back 30 minutes (02:00 LHDT -> 01:30 LHST) on 2025-04-06: an hourly backfill across
/// it used to stop at the change and drop every later run (issue 14).
struct HalfHourFallBackTests {
    func hourly(_ semantics: ScheduleSemantics) throws -> Schedule {
        let z = try zone("Australia/Lord_Howe")
        return Schedule(kind: .cron(try cron("0 * * * *")), start: try Timestamp.parse("2025-01-01", zone: z).get(),
                        end: nil, zone: z, semantics: semantics, catchup: true)
    }

    @Test(arguments: ScheduleSemantics.allCases)
    func backfillKeepsEveryRunAfterTheChange(_ semantics: ScheduleSemantics) throws {
        let runs = try hourly(semantics).runs(fromDs: try civil("2025-04-05T00:00"), throughDs: try civil("2025-04-07T00:00"))
        let dates = runs.map(\.logicalDate)
        let lastExpected = try utc("2025-04-07T23:00:00Z")
        #expect(dates.last.map { $0 >= lastExpected } == true, "\(dates.last.map(\.description) ?? "none")")
        #expect(zip(dates, dates.dropFirst()).allSatisfy { $0 < $1 })
        // Never more than an hour between two runs: nothing is skipped at the change.
        #expect(zip(dates, dates.dropFirst()).allSatisfy { $1.seconds - $0.seconds <= 3600 })
        if semantics == .airflow2 {
            // Intervals tile time: each run's interval ends where the next begins.
            #expect(zip(runs, runs.dropFirst()).allSatisfy { $0.dataIntervalEnd == $1.dataIntervalStart })
        }
    }
}
