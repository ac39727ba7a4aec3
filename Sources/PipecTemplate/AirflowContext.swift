import PipecSchedule

/// The template variables Airflow gives a task, computed from one run's times, so SQL pasted from a DAG renders
/// exactly as Airflow 2.10 (pendulum 3) or Airflow 3 renders it. `ds`/`ts` always come from the UTC logical date.
public enum AirflowContext {
    /// Every Airflow variable for `run`, plus `macros`, `params` and `dag`. Under `airflow3` the variables Airflow 3
    /// removed are absent, so using one is an undefined-name error (Airflow's StrictUndefined).
    public static func globals(for run: RunTimes, params: [String: TemplateValue], dagId: String) -> [String: TemplateValue] {
        globals(for: run, orderedParams: params.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, dagId: dagId)
    }

    /// Same, keeping `params` in the order the spec wrote them (what `{{ params }}` prints).
    public static func globals(for run: RunTimes, orderedParams params: [(String, TemplateValue)], dagId: String) -> [String: TemplateValue] {
        let logical = DateTimeValue(instant: run.logicalDate, zone: .utc)
        let start = DateTimeValue(instant: run.dataIntervalStart, zone: .utc)
        let end = DateTimeValue(instant: run.dataIntervalEnd, zone: .utc)
        let ds = dateString(logical.civil, dashes: true)
        let ts = logical.isoformat()
        var g: [String: TemplateValue] = [
            "ds": .string(ds),
            "ds_nodash": .string(dateString(logical.civil, dashes: false)),
            "ts": .string(ts),
            "ts_nodash": .string(StrFTime.format(logical, "%Y%m%dT%H%M%S")),
            "ts_nodash_with_tz": .string(String(ts.filter { $0 != "-" && $0 != ":" })),
            "logical_date": .datetime(logical),
            "data_interval_start": .datetime(start),
            "data_interval_end": .datetime(end),
            "run_id": .string(run.runId),
            "params": .dict(params),
            "macros": AirflowMacros.namespace,
            "dag": .object("DAG: \(dagId)", [("dag_id", .string(dagId)), ("timezone", .string(run.zone.identifier))]),
        ]
        var dagRun: [(String, TemplateValue)] = [
            ("dag_id", .string(dagId)), ("run_id", .string(run.runId)), ("run_type", .string(runType(run.runId))),
            ("logical_date", .datetime(logical)), ("data_interval_start", .datetime(start)), ("data_interval_end", .datetime(end)),
        ]
        switch run.semantics {
        case .airflow2:
            let day: Int64 = 86_400
            let yesterday = CivilDateTime(run.logicalDate.adding(seconds: -day), offsetSeconds: 0)
            let tomorrow = CivilDateTime(run.logicalDate.adding(seconds: day), offsetSeconds: 0)
            let previous = run.previousLogicalDate.map { DateTimeValue(instant: $0, zone: .utc) }
            let next = run.nextLogicalDate.map { DateTimeValue(instant: $0, zone: .utc) }
            g["prev_ds"] = previous.map { .string(dateString($0.civil, dashes: true)) } ?? TemplateValue.none
            g["next_ds"] = next.map { .string(dateString($0.civil, dashes: true)) } ?? TemplateValue.none
            g["prev_ds_nodash"] = previous.map { .string(dateString($0.civil, dashes: false)) } ?? TemplateValue.none
            g["next_ds_nodash"] = next.map { .string(dateString($0.civil, dashes: false)) } ?? TemplateValue.none
            g["yesterday_ds"] = .string(dateString(yesterday, dashes: true))
            g["tomorrow_ds"] = .string(dateString(tomorrow, dashes: true))
            g["yesterday_ds_nodash"] = .string(dateString(yesterday, dashes: false))
            g["tomorrow_ds_nodash"] = .string(dateString(tomorrow, dashes: false))
            g["execution_date"] = .datetime(logical)
            g["prev_execution_date"] = previous.map { .datetime($0) } ?? TemplateValue.none
            g["next_execution_date"] = next.map { .datetime($0) } ?? TemplateValue.none
            dagRun.append(("execution_date", .datetime(logical)))
        case .airflow3:
            dagRun.append(("run_after", .datetime(DateTimeValue(instant: run.runAfter, zone: .utc))))
        }
        g["dag_run"] = .object("DagRun", dagRun)
        return g
    }

    /// A ready context for rendering one run's templates.
    public static func context(for run: RunTimes, params: [(String, TemplateValue)], dagId: String, dialect: SQLDialect = .generic,
                               loader: (any TemplateLoader)? = nil) -> TemplateContext {
        TemplateContext(globals: globals(for: run, orderedParams: params, dagId: dagId), dialect: dialect, loader: loader)
    }

    private static func dateString(_ c: CivilDateTime, dashes: Bool) -> String {
        var s = ""
        if dashes {
            Digits.date(c, into: &s)
        } else {
            Digits.pad(c.year, 4, into: &s)
            Digits.pad(c.month, 2, into: &s)
            Digits.pad(c.day, 2, into: &s)
        }
        return s
    }

    private static func runType(_ runId: String) -> String {
        for prefix in ["scheduled", "manual", "backfill", "dataset_triggered", "asset_triggered"] where runId.hasPrefix(prefix + "__") {
            return prefix
        }
        return "manual"
    }

    /// Variables Airflow 3 removed, with what to write instead; used as the `help:` of an undefined-name error.
    static let removedInAirflow3: [String: String] = {
        let note = "it was removed in Airflow 3 (schedule.semantics: airflow3)"
        var m: [String: String] = [
            "prev_ds": "\(note); for the previous day use {{ macros.ds_add(ds, -1) }}",
            "yesterday_ds": "\(note); use {{ macros.ds_add(ds, -1) }}",
            "next_ds": "\(note); for the next day use {{ macros.ds_add(ds, 1) }}",
            "tomorrow_ds": "\(note); use {{ macros.ds_add(ds, 1) }}",
            "prev_ds_nodash": "\(note); use {{ macros.ds_format(macros.ds_add(ds, -1), '%Y-%m-%d', '%Y%m%d') }}",
            "yesterday_ds_nodash": "\(note); use {{ macros.ds_format(macros.ds_add(ds, -1), '%Y-%m-%d', '%Y%m%d') }}",
            "next_ds_nodash": "\(note); use {{ macros.ds_format(macros.ds_add(ds, 1), '%Y-%m-%d', '%Y%m%d') }}",
            "tomorrow_ds_nodash": "\(note); use {{ macros.ds_format(macros.ds_add(ds, 1), '%Y-%m-%d', '%Y%m%d') }}",
            "execution_date": "\(note); use {{ logical_date }}",
            "prev_execution_date": "\(note); use {{ logical_date - macros.timedelta(days=1) }} (or the schedule's period)",
            "next_execution_date": "\(note); use {{ logical_date + macros.timedelta(days=1) }} (or the schedule's period)",
        ]
        for name in ["conf", "test_mode", "expanded_ti_count", "triggering_dataset_events", "prev_execution_date_success"] {
            m[name] = "'\(name)' is an Airflow task-instance variable pipec does not provide"
        }
        return m
    }()
}
