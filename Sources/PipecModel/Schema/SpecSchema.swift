/// The pipec spec language (v1), as one schema value. SPEC.md is the prose form of this file.
public enum SpecSchema {
    public static let strategies = ["full", "append", "replace_interval", "upsert", "scd2"]
    public static let resourceKinds = ["postgres", "clickhouse", "sqlite", "s3", "file", "http", "athena", "webhook", "email"]
    public static let taskKinds = ["sql", "load", "export", "sensor", "check", "notify"]
    public static let triggerRules = ["all_success", "all_done", "one_failed", "all_failed", "one_success", "none_failed"]
    public static let fileFormats = ["csv", "tsv", "jsonl", "parquet"]

    static let names = SchemaType.list(.string(.name))
    static let nameOrNames = SchemaType.oneOf([.string(.name), names])
    static let columnsList = SchemaType.oneOf([.text, .list(.text)])
    static let duration = SchemaType.string(.duration)
    static let stringMap = SchemaType.map(key: .text, value: .string(.template))

    static let forEach = Field("for_each", .oneOf([.map(key: .text, value: .oneOf([.map(key: .text, value: .any), .any])), .list(.text)]),
                               "Expand into one copy per entry; the name must contain {item}. Templates see item.key and each value as item.NAME.")

    // MARK: top level

    public static let root = ObjectSchema("spec", "A pipec pipeline spec (version 1).", fields: [
        Field("version", .integer(minimum: 1), required: true, "The spec language version; only 1 exists."),
        Field("pipeline", .string(.identifier), required: true, "The pipeline's name."),
        Field("description", .text),
        Field("owner", .text),
        Field("tags", .list(.text)),
        Field("schedule", .object(schedule), "When the pipeline runs and which data intervals exist; omitted = only when asked."),
        Field("defaults", .object(defaults), "Defaults for every task and table build."),
        Field("pools", .map(key: .name, value: .integer(minimum: 1)), "Pool name -> slots; tasks in a pool never exceed its slots."),
        Field("params", .map(key: .text, value: .any), "Values templates see as params.NAME; overridable with --param k=v."),
        Field("alerts", .object(alerts)),
        Field("resources", .map(key: .name, value: .tagged(resource)), "Named connections."),
        Field("tables", .map(key: .tableName, value: .tagged(table)), "Tables, views and materialized views."),
        Field("tasks", .map(key: .name, value: .tagged(task)), "Steps that are not table builds."),
        Field("groups", .map(key: .name, value: .object(group)), "Named sets of tables and tasks that run as a unit."),
        Field("lineage", .list(.object(lineageEntry)), "Declared lineage, merged with what templates and tasks reveal."),
        Field("catalog", .object(catalog), "Mirror runs, checks, lineage and the column registry into the warehouse."),
    ])

    static let schedule = ObjectSchema("schedule", fields: [
        Field("cron", .string(.cron), "5-field cron, or @once @hourly @daily @weekly @monthly @yearly."),
        Field("start", .string(.timestamp), "The first data interval starts here."),
        Field("end", .string(.timestamp), "No interval starts after this."),
        Field("catchup", .boolean, "true: apply runs every missed interval since the last success."),
        Field("max_active_runs", .integer(minimum: 1)),
        Field("timezone", .string(.timezone), "IANA time zone the cron is read in (default UTC)."),
        Field("semantics", .enumeration(["airflow2", "airflow3"]), "Which Airflow's meaning of logical_date a cron schedule has."),
    ])

    static let retryFields: [Field] = [
        Field("retries", .integer(minimum: 0)),
        Field("retry_delay", duration),
        Field("retry_backoff", .enumeration(["constant", "exponential"])),
        Field("max_retry_delay", duration),
        Field("timeout", duration),
        Field("pool", .string(.name)),
        Field("depends_on_past", .boolean),
    ]

    static let defaults = ObjectSchema("defaults", fields: retryFields + [
        Field("trigger_rule", .enumeration(triggerRules)),
    ])

    static let alerts = ObjectSchema("alerts", fields: [
        Field("on_failure", names, "webhook or email resources told when a task fails."),
        Field("on_retry", names),
        Field("on_success", names),
    ])

    static let lineageEntry = ObjectSchema("lineage entry", fields: [
        Field("from", .text, required: true, "A table or an external asset (e.g. api:/path)."),
        Field("to", .text, required: true),
        Field("description", .text),
    ])

    static let catalog = ObjectSchema("catalog", fields: [
        Field("resource", .string(.name), required: true),
        Field("database", .string(.name)),
    ])

    // MARK: resources

    static let credentials: [Field] = [
        Field("access_key", .text),
        Field("secret_key", .text),
    ]

    static let resource = TaggedSchema("resource", "A named connection; secrets stay references.", common: [
        Field("description", .text),
        Field("secret_keys", .list(.text), "Further keys whose values are secrets, redacted everywhere."),
    ], variants: [
        ("postgres", ObjectSchema("postgres resource", fields: [
            Field("dsn", .text, required: true, "libpq connection string or URI."),
        ])),
        ("clickhouse", ObjectSchema("clickhouse resource", fields: [
            Field("url", .text, required: true, "HTTP interface, e.g. http://127.0.0.1:8123"),
            Field("user", .text), Field("password", .text), Field("database", .text),
            Field("timeout", duration),
        ])),
        ("sqlite", ObjectSchema("sqlite resource", fields: [
            Field("path", .text, required: true, "Database file, relative to the project root."),
        ])),
        ("s3", ObjectSchema("s3 resource", fields: [
            Field("endpoint", .text), Field("region", .text), Field("bucket", .text, required: true),
            Field("path_style", .boolean), Field("prefix", .text),
        ] + credentials)),
        ("file", ObjectSchema("file resource", fields: [
            Field("root", .text, required: true, "A local folder, relative to the project root."),
        ])),
        ("http", ObjectSchema("http resource", fields: [
            Field("base_url", .text, required: true), Field("headers", stringMap), Field("timeout", duration),
        ])),
        ("webhook", ObjectSchema("webhook resource", fields: [
            Field("url", .text, required: true, "Receives Slack-compatible JSON."), Field("headers", stringMap),
        ])),
        ("email", ObjectSchema("email resource", fields: [
            Field("smtp", .text, required: true), Field("from", .text, required: true),
            Field("to", .list(.text), required: true), Field("user", .text), Field("password", .text),
        ])),
        ("athena", ObjectSchema("athena resource", fields: [
            Field("region", .text, required: true), Field("database", .text), Field("output", .text, required: true),
            Field("endpoint", .text), Field("workgroup", .text),
        ] + credentials)),
    ])

    // MARK: tables

    static let column = SchemaType.oneOf([.string(.columnType), .object(ObjectSchema("column", fields: [
        Field("type", .string(.columnType), required: true),
        Field("nullable", .boolean),
        Field("description", .text),
        Field("pii", .boolean),
        Field("default", .text, "A default expression in the table's dialect."),
    ]))])

    static let build = ObjectSchema("build", fields: [
        Field("sql", .string(.sql), required: true, "A SELECT, inline or a path under templates/."),
        Field("strategy", .enumeration(strategies)),
        Field("interval_column", .text, "Date/time column the interval filters (replace_interval, append)."),
        Field("tracked_columns", .list(.text), "scd2: columns whose change opens a new version."),
        Field("valid_from", .text), Field("valid_to", .text), Field("is_current", .text),
        Field("version_column", .text, "clickhouse upsert/scd2: the ReplacingMergeTree version column."),
    ])

    static let check = ObjectSchema("check", fields: [
        Field("not_null", columnsList),
        Field("unique", columnsList),
        Field("accepted_values", .object(ObjectSchema("accepted_values", fields: [
            Field("column", .text, required: true), Field("values", .list(.any), required: true),
        ]))),
        Field("row_count", .object(ObjectSchema("row_count", fields: [
            Field("min", .integer(minimum: 0)), Field("max", .integer(minimum: 0)),
        ]))),
        Field("expression", .string(.template), "Rows violating it fail the check."),
        Field("freshness", .object(ObjectSchema("freshness", fields: [
            Field("column", .text, required: true), Field("max_age", duration, required: true),
        ]))),
        Field("severity", .enumeration(["error", "warn"])),
        Field("description", .text),
    ], exactlyOne: [["not_null", "unique", "accepted_values", "row_count", "expression", "freshness"]])

    static let tableFields: [Field] = [
        Field("on", .string(.name), required: true, "The resource the table lives on."),
        Field("description", .text),
        Field("columns", .map(key: .text, value: column)),
        Field("engine", .text, "clickhouse: the table engine."),
        Field("partition_by", .text),
        Field("order_by", columnsList),
        Field("primary_key", columnsList),
        Field("staging", .boolean, "Recreated empty at the start of each run, never exported."),
        Field("external", .boolean, "Produced outside this pipeline: never created or built."),
        Field("build", .object(build)),
        Field("sql", .string(.sql), "Views: the SELECT."),
        Field("checks", .list(.object(check))),
        Field("on_bad_rows", .enumeration(["fail", "quarantine", "skip_with_count"]), "What a failing error check does to its rows."),
        Field("group", .string(.name)),
        Field("after", names),
        forEach,
    ]

    static let table = TaggedSchema("table", "A table on a resource.", defaultKind: "table", common: tableFields, variants: [
        ("table", ObjectSchema("table", fields: [])),
        ("view", ObjectSchema("view", fields: [])),
        ("materialized_view", ObjectSchema("materialized view", fields: [])),
    ])

    // MARK: tasks

    static let on = Field("on", .string(.name), required: true)
    static let query = ObjectSchema("query", fields: [on, Field("sql", .string(.sql), required: true)])

    static let httpRequest: [Field] = [
        on,
        Field("path", .string(.template), required: true),
        Field("method", .enumeration(["GET", "POST"])),
        Field("query", stringMap),
        Field("headers", stringMap),
        Field("body", .string(.template)),
    ]

    static let httpSource = ObjectSchema("http source", fields: httpRequest + [
        Field("format", .enumeration(fileFormats)),
        Field("header", .boolean, "CSV/TSV: the first line names the columns."),
        Field("delimiter", .text),
        Field("until", .object(until), "Poll until the response looks like this (e.g. 200 with a header)."),
        Field("poke_interval", duration),
    ])

    static let until = ObjectSchema("until", fields: [
        Field("status", .integer(minimum: 100)),
        Field("header", .text),
    ])

    static let objectSource = ObjectSchema("object source", fields: [
        on,
        Field("key", .string(.template), required: true),
        Field("format", .enumeration(fileFormats)),
        Field("header", .boolean),
        Field("delimiter", .text),
        Field("compression", .enumeration(["none", "gzip"])),
    ])

    static let loadFrom = ObjectSchema("load source", fields: [
        Field("http", .object(httpSource)),
        Field("object", .object(objectSource)),
        Field("query", .object(query)),
    ], exactlyOne: [["http", "object", "query"]])

    static let exportFrom = ObjectSchema("export source", fields: [
        Field("table", .string(.tableName)),
        Field("where", .string(.template)),
        Field("query", .object(query)),
    ], exactlyOne: [["table", "query"]])

    static let exportTo = ObjectSchema("export target", fields: [
        on,
        Field("key", .string(.template), required: true),
        Field("format", .enumeration(fileFormats)),
        Field("compression", .enumeration(["none", "gzip"])),
        Field("header", .boolean),
        Field("partition_by", .list(.text), "Hive-style key=value folders per distinct value."),
    ])

    static let sensorHTTP = ObjectSchema("http sensor", fields: httpRequest + [Field("until", .object(until))])
    static let sensorObject = ObjectSchema("object sensor", fields: [
        on, Field("key", .string(.template)), Field("prefix", .string(.template)),
    ], exactlyOne: [["key", "prefix"]])
    static let sensorSQL = ObjectSchema("sql sensor", fields: [on, Field("query", .string(.sql), required: true)])
    static let sensorPipeline = ObjectSchema("pipeline sensor", fields: [
        Field("name", .string(.identifier), required: true), Field("task", .string(.name)),
    ])

    static let compareSide = ObjectSchema("compare side", fields: [on, Field("sql", .string(.sql), required: true)])

    static let taskCommon: [Field] = [
        Field("group", .string(.name)),
        Field("after", names, "Run after these tasks, tables or groups (beyond derived lineage)."),
        Field("reads", names, "Tables this task reads (adds dependencies)."),
        Field("writes", names, "Tables this task writes."),
    ] + retryFields + [
        Field("when", .string(.template), "A template expression; false skips this task and everything downstream."),
        Field("trigger_rule", .enumeration(triggerRules)),
        Field("description", .text),
        forEach,
    ]

    static let task = TaggedSchema("task", "A step that is not a table build.", common: taskCommon, variants: [
        ("sql", ObjectSchema("sql task", fields: [on, Field("sql", .string(.sql), required: true)])),
        ("load", ObjectSchema("load task", fields: [
            Field("from", .object(loadFrom), required: true),
            Field("into", .string(.tableName), required: true),
            Field("strategy", .enumeration(strategies)),
            Field("interval_column", .text),
            Field("chunk_rows", .integer(minimum: 1)),
            Field("on_bad_rows", .enumeration(["fail", "quarantine", "skip_with_count"])),
        ])),
        ("export", ObjectSchema("export task", fields: [
            Field("from", .object(exportFrom), required: true),
            Field("to", .object(exportTo), required: true),
        ])),
        ("sensor", ObjectSchema("sensor task", fields: [
            Field("http", .object(sensorHTTP)),
            Field("object", .object(sensorObject)),
            Field("sql", .object(sensorSQL)),
            Field("pipeline", .object(sensorPipeline)),
            Field("poke_interval", duration),
            Field("soft_fail", .boolean, "A timeout skips instead of failing."),
        ], exactlyOne: [["http", "object", "sql", "pipeline"]])),
        ("check", ObjectSchema("check task", fields: [
            Field("compare", .object(ObjectSchema("compare", fields: [
                Field("left", .object(compareSide), required: true),
                Field("right", .object(compareSide), required: true),
                Field("tolerance", .number, "Allowed relative difference (0 = exact)."),
            ]))),
            Field("sql", .object(ObjectSchema("sql check", fields: [
                on, Field("query", .string(.sql), required: true, "Returns the violating rows; none = pass."),
            ]))),
            Field("severity", .enumeration(["error", "warn"])),
        ], exactlyOne: [["compare", "sql"]])),
        ("notify", ObjectSchema("notify task", fields: [
            on,
            Field("message", .string(.template), required: true),
            Field("subject", .string(.template)),
        ])),
    ])

    static let group = ObjectSchema("group", fields: [
        Field("description", .text),
        Field("after", names, "Groups (or tasks/tables) this group runs after."),
        Field("sequential", .boolean, "for_each copies run one after another, in the order written."),
        forEach,
    ])
}
