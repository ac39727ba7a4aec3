import PipecDiagnostics
import PipecSchedule
@testable import PipecTemplate
import Testing

/// Renders `source` (a whole file `t.sql`) with `globals`.
func render(_ source: String, _ globals: [String: TemplateValue] = [:], dialect: SQLDialect = .generic,
            loader: (any TemplateLoader)? = nil) throws -> String {
    let template = try Template.parse(source, origin: .file("t.sql"))
    return try template.render(TemplateContext(globals: globals, dialect: dialect, loader: loader))
}

/// The diagnostic a template fails with, parsing or rendering; nil when it renders.
func failure(_ source: String, _ globals: [String: TemplateValue] = [:], origin: TemplateOrigin = .file("t.sql"),
             dialect: SQLDialect = .generic, loader: (any TemplateLoader)? = nil, limits: TemplateLimits? = nil) -> Diagnostic? {
    do {
        let template = try Template.parse(source, origin: origin)
        var context = TemplateContext(globals: globals, dialect: dialect, loader: loader)
        if let limits { context.limits = limits }
        _ = try template.render(context)
        return nil
    } catch {
        return error.diagnostic
    }
}

/// The Airflow context of a daily `0 3 * * *` UTC run with logical date 2025-03-01T03:00Z.
func dailyRun(_ semantics: ScheduleSemantics = .airflow2) -> RunTimes {
    let logical = Instant(seconds: 1_740_798_000)
    let day: Int64 = 86_400
    switch semantics {
    case .airflow2:
        return RunTimes(semantics: .airflow2, logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: logical.adding(seconds: day),
                        runAfter: logical.adding(seconds: day), previousLogicalDate: logical.adding(seconds: -day),
                        nextLogicalDate: logical.adding(seconds: day), runId: "scheduled__2025-03-01T03:00:00+00:00")
    case .airflow3:
        return RunTimes(semantics: .airflow3, logicalDate: logical, dataIntervalStart: logical, dataIntervalEnd: logical,
                        runAfter: logical, previousLogicalDate: nil, nextLogicalDate: nil, runId: "scheduled__2025-03-01T03:00:00+00:00")
    }
}

func airflowGlobals(_ semantics: ScheduleSemantics = .airflow2, params: [String: TemplateValue] = [:]) -> [String: TemplateValue] {
    AirflowContext.globals(for: dailyRun(semantics), params: params, dagId: "medallion")
}

/// Instant from an ISO string like `2025-03-01T03:00:00Z`.
func instant(_ iso: String) -> Instant {
    let p = iso.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int($0) }
    return CivilDateTime(year: p[0], month: p[1], day: p[2], hour: p[3], minute: p[4], second: p[5]).instant(offsetSeconds: 0)
}
