import Foundation
import PipecSchedule
import Testing
@testable import PipecTemplate
import PipecTestSupport

/// Every template in the Airflow reference file, rendered by pipec's engine with pipec's context for every run,
/// must give exactly what real Airflow 2.10 / 3.x rendered (and fail as undefined where Airflow 3 fails).
/// The file is produced by scripts/airflow_reference.py; see Tests/PipecScheduleTests/Golden.
struct AirflowGoldenRenderTests {
    typealias Case = AirflowReference.Case
    static let cases: [Case] = AirflowReference.recorded?.cases ?? []

    @Test func referenceFileIsPresent() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func rendersLikeAirflow(golden: Case) throws {
        let semantics = try #require(ScheduleSemantics(rawValue: golden.semantics))
        guard let zone = Zone(identifier: golden.timezone) else {
            Issue.record("unknown zone \(golden.timezone)")
            return
        }
        let schedule = Schedule(kind: try ScheduleKind.parse(golden.schedule).get(), start: try Timestamp.parse(golden.start, zone: zone).get(),
                                end: try Timestamp.parse(golden.end, zone: zone).get(), zone: zone, semantics: semantics, catchup: true)
        let runs = schedule.runs(from: try #require(schedule.start), through: try #require(schedule.end))
        try #require(runs.count == golden.runs.count)
        var templates: [String: Template] = [:]
        for key in golden.runs.first?.values.keys.sorted() ?? [] {
            templates[key] = try Template.parse(key, origin: .file("reference"))
        }
        for (run, expected) in zip(runs, golden.runs) {
            let context = TemplateContext(globals: AirflowContext.globals(for: run, params: [:], dagId: "reference"))
            for (key, value) in expected.values {
                let template = try #require(templates[key])
                switch value {
                case .some(let wanted):
                    #expect(try template.render(context) == wanted, "\(key) at \(expected.logical_date)")
                case .none:
                    // Airflow 3 fails these as undefined; so must pipec.
                    do {
                        let got = try template.render(context)
                        Issue.record("\(key) rendered '\(got)' at \(expected.logical_date); Airflow fails it as undefined")
                    } catch {
                        #expect(error.diagnostic.code == TemplateErrorCode.undefined)
                    }
                }
            }
        }
    }
}
