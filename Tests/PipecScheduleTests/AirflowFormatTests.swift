import Testing
@testable import PipecSchedule

struct AirflowFormatTests {
    @Test func formatsLikeAirflow() throws {
        let t = try utc("2025-03-01T03:04:05Z")
        #expect(AirflowFormat.ds(t) == "2025-03-01")
        #expect(AirflowFormat.dsNodash(t) == "20250301")
        #expect(AirflowFormat.ts(t) == "2025-03-01T03:04:05+00:00")
        #expect(AirflowFormat.tsNodash(t) == "20250301T030405")
        #expect(AirflowFormat.tsNodashWithTz(t) == "20250301T030405+0000")
        #expect(AirflowFormat.pendulumString(t) == "2025-03-01 03:04:05+00:00")
        #expect(AirflowFormat.isoformat(t, offsetSeconds: 3600) == "2025-03-01T04:04:05+01:00")
        #expect(AirflowFormat.runId(.scheduled, t) == "scheduled__2025-03-01T03:04:05+00:00")
        #expect(AirflowFormat.runId(.manual, t) == "manual__2025-03-01T03:04:05+00:00")
    }

    @Test func microsecondsFollowPythonIsoformat() throws {
        let t = try utc("2025-03-01T03:04:05.5Z")
        #expect(AirflowFormat.ts(t) == "2025-03-01T03:04:05.500000+00:00")
        #expect(AirflowFormat.tsNodash(t) == "20250301T030405")
        #expect(AirflowFormat.tsNodashWithTz(t) == "20250301T030405.500000+0000")
        #expect(AirflowFormat.pendulumString(t) == "2025-03-01 03:04:05.500000+00:00")
    }

    @Test func datesBeforeTheEpoch() throws {
        let t = try utc("1969-12-31T23:59:59Z")
        #expect(AirflowFormat.ds(t) == "1969-12-31")
        #expect(AirflowFormat.tsNodash(t) == "19691231T235959")
    }
}
