import PipecSchedule
@testable import PipecTemplate
import Testing

@Suite("Datetimes, dates and timedeltas")
struct DateTimeTests {
    let a = airflowGlobals()

    @Test func pendulumStr() throws {
        #expect(try render("{{ logical_date }}|{{ logical_date.add(microseconds=5) }}|{{ [logical_date] }}", a)
                == "2025-03-01 03:00:00+00:00|2025-03-01 03:00:00.000005+00:00|[DateTime(2025, 3, 1, 3, 0, 0, tzinfo=Timezone('UTC'))]")
        #expect(try render("{{ logical_date.date() }} {{ [logical_date.date()] }}", a) == "2025-03-01 [Date(2025, 3, 1)]")
    }

    @Test func strftimeDirectives() throws {
        #expect(try render("{{ logical_date.strftime('%a %A %b %B %c|%d %e %H %I %j %m %M %p %S %U %w %W|%x %X %y %Y %z %Z %% %f|%-d %-m %G %V %u %C %D %F %T %R %s %k %l %P %h') }}", a)
                == "Sat Saturday Mar March Sat Mar  1 03:00:00 2025|01  1 03 03 060 03 00 AM 00 08 6 08|03/01/25 03:00:00 25 2025 +0000 UTC % 000000|1 3 2025 09 6 20 03/01/25 2025-03-01 03:00:00 03:00 1740798000  3  3 am Mar")
        #expect(try render("{{ logical_date.strftime('%_d|%^a|%Q') }}", a) == " 1|SAT|%Q")
    }

    @Test func timeZones() throws {
        #expect(try render("{{ logical_date.in_timezone('Europe/Amsterdam') }} {{ logical_date.in_tz('America/New_York').strftime('%Z %z') }}", a)
                == "2025-03-01 04:00:00+01:00 EST -0500")
        #expect(try render("{{ logical_date.in_timezone(dag.timezone).isoformat() }} {{ logical_date.in_timezone('Europe/Amsterdam').add(months=4).strftime('%Z') }}",
                           AirflowContext.globals(for: dailyRun(), params: [:], dagId: "d").merging(["dag": .object("dag", [("timezone", "Europe/Amsterdam")])]) { $1 })
                == "2025-03-01T04:00:00+01:00 CEST")
        #expect(try render("{{ logical_date.in_timezone('Europe/Amsterdam').timezone_name }} {{ logical_date.timezone_name }} {{ logical_date.tzname() }} {{ logical_date.utcoffset() }}", a)
                == "Europe/Amsterdam UTC UTC 0:00:00")
    }

    @Test func pendulumArithmeticAcrossDST() throws {
        // Calendar units keep the wall clock; a stdlib timedelta moves the instant (pendulum 3).
        #expect(try render("{{ logical_date.in_timezone('Europe/Amsterdam').add(days=29) }} {{ logical_date.in_timezone('Europe/Amsterdam').add(hours=24*29) }} {{ logical_date.in_timezone('Europe/Amsterdam') + macros.timedelta(days=29) }}", a)
                == "2025-03-30 04:00:00+02:00 2025-03-30 05:00:00+02:00 2025-03-30 05:00:00+02:00")
    }

    @Test func pendulumMethods() throws {
        #expect(try render("{{ logical_date.add(days=1) }} {{ logical_date.subtract(hours=5) }} {{ logical_date.add(months=1, days=2) }} {{ logical_date.add(years=1, months=-2, weeks=1) }}", a)
                == "2025-03-02 03:00:00+00:00 2025-02-28 22:00:00+00:00 2025-04-03 03:00:00+00:00 2026-01-08 03:00:00+00:00")
        #expect(try render("{{ logical_date.start_of('week') }} {{ logical_date.end_of('month') }} {{ logical_date.first_of('month') }} {{ logical_date.last_of('month') }} {{ logical_date.start_of('decade') }} {{ logical_date.start_of('hour') }}", a)
                == "2025-02-24 00:00:00+00:00 2025-03-31 23:59:59.999999+00:00 2025-03-01 00:00:00+00:00 2025-03-31 00:00:00+00:00 2020-01-01 00:00:00+00:00 2025-03-01 03:00:00+00:00")
        #expect(try render("{{ logical_date.format('YYYY-MM-DD HH:mm:ss dddd Do [at] A Z ZZ') }} {{ logical_date.to_date_string() }} {{ logical_date.to_datetime_string() }} {{ logical_date.to_iso8601_string() }}", a)
                == "2025-03-01 03:00:00 Saturday 1st at AM +00:00 +0000 2025-03-01 2025-03-01 03:00:00 2025-03-01T03:00:00Z")
        #expect(try render("{{ logical_date.replace(day=5) }} {{ logical_date.replace(tzinfo=none) }} {{ logical_date.naive() }} {{ logical_date.is_leap_year() }}", a)
                == "2025-03-05 03:00:00+00:00 2025-03-01 03:00:00 2025-03-01 03:00:00 False")
    }

    @Test func attributes() throws {
        #expect(try render("{{ logical_date.year }} {{ logical_date.month }} {{ logical_date.day }} {{ logical_date.hour }} {{ logical_date.minute }} {{ logical_date.second }} {{ logical_date.microsecond }}", a)
                == "2025 3 1 3 0 0 0")
        #expect(try render("{{ logical_date.day_of_week }} {{ logical_date.day_of_year }} {{ logical_date.int_timestamp }} {{ logical_date.timestamp() }} {{ logical_date.week_of_year }} {{ logical_date.quarter }} {{ logical_date.days_in_month }} {{ logical_date.offset }}", a)
                == "5 60 1740798000 1740798000.0 9 1 31 0")
        #expect(try render("{{ logical_date.weekday() }} {{ logical_date.isoweekday() }} {{ logical_date.isoformat() }} {{ logical_date.isoformat(' ') }} {{ logical_date.isocalendar() }}", a)
                == "5 6 2025-03-01T03:00:00+00:00 2025-03-01 03:00:00+00:00 (2025, 9, 6)")
    }

    @Test func timedeltas() throws {
        #expect(try render("{{ macros.timedelta(days=1) }}|{{ macros.timedelta(seconds=-1) }}|{{ macros.timedelta(weeks=1, milliseconds=5) }}|{{ macros.timedelta(hours=25) }}|{{ macros.timedelta(microseconds=1) }}|{{ macros.timedelta() }}", a)
                == "1 day, 0:00:00|-1 day, 23:59:59|7 days, 0:00:00.005000|1 day, 1:00:00|0:00:00.000001|0:00:00")
        #expect(try render("{{ macros.timedelta(days=2, hours=3) * 2 }} {{ macros.timedelta(days=1) / 2 }} {{ macros.timedelta(days=1) / macros.timedelta(hours=1) }} {{ [macros.timedelta(days=1, seconds=5)] }}", a)
                == "4 days, 6:00:00 12:00:00 24.0 [datetime.timedelta(days=1, seconds=5)]")
        #expect(try render("{{ macros.timedelta(days=1).total_seconds() }} {{ macros.timedelta(days=1, seconds=5).seconds }} {{ macros.timedelta(hours=-1).days }}", a) == "86400.0 5 -1")
    }

    @Test func intervals() throws {
        #expect(try render("{{ data_interval_end - data_interval_start }}|{{ (data_interval_end - data_interval_start).total_seconds() }}|{{ (data_interval_end - data_interval_start).days }}|{{ (data_interval_end - data_interval_start).in_hours() }}", a)
                == "<Interval [2025-03-01 03:00:00+00:00 -> 2025-03-02 03:00:00+00:00]>|86400.0|1|24")
        #expect(try render("{{ (data_interval_end - data_interval_start) * 2 }} {{ logical_date.diff(data_interval_end).in_days() }} {{ (data_interval_end - data_interval_start).start }}", a)
                == "2 days 1 2025-03-01 03:00:00+00:00")
    }

    @Test func stdlibDatetimes() throws {
        #expect(try render("{{ macros.datetime(2025, 1, 1) }}|{{ macros.datetime(2025, 1, 1, 5, 6, 7) }}|{{ [macros.datetime(2025, 1, 1)] }}|{{ macros.datetime(2025, 1, 1).strftime('%d.%m.%Y %z|%Z|') }}", a)
                == "2025-01-01 00:00:00|2025-01-01 05:06:07|[datetime.datetime(2025, 1, 1, 0, 0)]|01.01.2025 ||")
        #expect(try render("{{ macros.datetime(2025, 1, 31) + macros.timedelta(days=1) }} {{ macros.datetime(2025, 3, 1) - macros.datetime(2025, 1, 1) }} {{ (macros.datetime(2025, 3, 1) - macros.datetime(2025, 1, 1)).days }}", a)
                == "2025-02-01 00:00:00 59 days, 0:00:00 59")
        #expect(try render("{{ macros.datetime(2025, 1, 1).utcoffset() }} {{ macros.datetime(2025, 1, 1).tzinfo }} {{ macros.datetime(2025, 1, 1).tzname() }}", a) == "None None None")
        #expect(failure("{{ macros.datetime(2025, 1, 1).add(days=1) }}", a)?.message == "the 'datetime' value has no attribute 'add'")
        #expect(try render("{{ macros.datetime.fromisoformat('2025-01-02T03:04:05+01:00') }} {{ macros.datetime.fromisoformat('2025-01-02') }} {{ macros.datetime(2025, 1, 1, tzinfo='UTC') }}", a)
                == "2025-01-02 03:04:05+01:00 2025-01-02 00:00:00 2025-01-01 00:00:00+00:00")
    }

    @Test func strptime() throws {
        #expect(try render("{{ macros.datetime.strptime('01/02/25 14:05', '%m/%d/%y %H:%M') }} {{ macros.datetime.strptime('2025-3-1', '%Y-%m-%d') }} {{ macros.datetime.strptime('20250301T030000', '%Y%m%dT%H%M%S') }}", a)
                == "2025-01-02 14:05:00 2025-03-01 00:00:00 2025-03-01 03:00:00")
        #expect(try render("{{ macros.datetime.strptime('Mar 5 2025', '%b %d %Y') }} {{ macros.datetime.strptime('2025-01-02T03:04:05+0000', '%Y-%m-%dT%H:%M:%S%z') }} {{ macros.datetime.strptime('05 PM', '%I %p').hour }} {{ macros.datetime.strptime('2025 060', '%Y %j') }}", a)
                == "2025-03-05 00:00:00 2025-01-02 03:04:05+00:00 17 2025-03-01 00:00:00")
    }

    @Test func strptimeBacktrackingStaysLinear() {
        let format = String(repeating: "%m", count: 40) + "x"
        #expect(failure("{{ macros.datetime.strptime('\(String(repeating: "1", count: 60))', '\(format)') }}", a)?.code == "E509")
    }

    @Test func dates() throws {
        #expect(try render("{{ logical_date.date() + macros.timedelta(days=3) }} {{ logical_date.date().strftime('%A') }} {{ logical_date.date().add(days=1) }} {{ logical_date.date() - data_interval_end.date() }} {{ logical_date.date().day_of_week }}", a)
                == "2025-03-04 Saturday 2025-03-02 <Interval [2025-03-02 -> 2025-03-01]> 5")
    }

    @Test func comparisons() throws {
        #expect(try render("{{ logical_date > data_interval_end }} {{ logical_date == data_interval_start }} {{ logical_date < data_interval_end }} {{ logical_date.date() == data_interval_start.date() }} {{ logical_date == macros.datetime(2025, 3, 1, 3) }}", a)
                == "False True True True False")
    }
}
