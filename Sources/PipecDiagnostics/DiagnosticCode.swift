/// Every diagnostic code pipec emits: the one list. docs/diagnostics.md documents exactly these, and a test
/// (ContractTests) fails when a code is emitted that is not here, or one here is never emitted or not documented.
public enum DiagnosticCode: String, CaseIterable, Sendable {
    /// input: the spec file cannot be read
    case e000 = "E000"
    /// YAML: syntax error (libyaml's problem and context)
    case e001 = "E001"
    /// input: the file is not UTF-8
    case e002 = "E002"
    /// YAML: duplicate key in a mapping (note: the first one)
    case e003 = "E003"
    /// YAML: nesting deeper than 200 levels
    case e004 = "E004"
    /// YAML: more than one YAML document
    case e005 = "E005"
    /// YAML: alias of an unknown anchor
    case e006 = "E006"
    /// YAML: aliases expand to more than 1,000,000 nodes (alias bomb)
    case e007 = "E007"
    /// YAML: a mapping key that is not a scalar
    case e008 = "E008"
    /// YAML: a merge key (<<) whose value is not a mapping or list of mappings
    case e009 = "E009"
    /// schema: unknown key (with did-you-mean)
    case e101 = "E101"
    /// schema: a required key is missing (or none of a one-of group is present)
    case e102 = "E102"
    /// schema: a value of the wrong type (list for mapping, yes for a boolean, ...)
    case e103 = "E103"
    /// schema: a value outside its allowed set (kind, strategy, minimums)
    case e104 = "E104"
    /// schema: two keys of which only one is allowed (a sensor with http and object)
    case e105 = "E105"
    /// schema: an invalid name (pipeline, table, resource, ...)
    case e106 = "E106"
    /// schema: an unsupported spec version
    case e107 = "E107"
    /// values: a malformed ${env:NAME} / ${env:NAME:-default} reference
    case e110 = "E110"
    /// values: a template file under templates/ that does not exist
    case e111 = "E111"
    /// values: a ${env:NAME} reference whose variable is unset and has no default, where the value is needed (apply, or compile/render --resolve); names the key
    case e112 = "E112"
    /// for_each: {item} without a for_each, or a for_each whose name lacks {item}
    case e120 = "E120"
    /// names: a table or task declared twice (also after for_each expansion)
    case e121 = "E121"
    /// names: a task and a table with the same name
    case e122 = "E122"
    /// references: unknown resource
    case e201 = "E201"
    /// references: unknown table (ref(), source(), into, reads, exports)
    case e202 = "E202"
    /// references: unknown pool
    case e203 = "E203"
    /// references: unknown group
    case e204 = "E204"
    /// references: after: or tasks.NAME naming no task, table or group
    case e205 = "E205"
    /// references: a resource of the wrong kind for its use (a table on an s3 resource, ...)
    case e206 = "E206"
    /// tables: an engine option that does not fit the resource's engine, or an unknown ClickHouse engine
    case e301 = "E301"
    /// tables: a column type that is not valid for the table's dialect
    case e302 = "E302"
    /// strategies: a strategy's requirement is missing (upsert: primary_key; replace_interval/append: a date/time interval_column; scd2: tracked_columns)
    case e303 = "E303"
    /// checks: a check (or key list) naming an unknown column, or an impossible check
    case e304 = "E304"
    /// tables: contradictory table settings (external with a build, a view with build, loads into a view, an export from a staging table)
    case e305 = "E305"
    /// tables: a table without columns
    case e306 = "E306"
    /// schedule: a malformed cron expression (pointing inside the string)
    case e401 = "E401"
    /// values: a malformed duration
    case e402 = "E402"
    /// values: a malformed or impossible timestamp
    case e403 = "E403"
    /// schedule: end before start
    case e404 = "E404"
    /// schedule: an unknown time zone
    case e405 = "E405"
    /// templates: template syntax error, at the token inside the template
    case e501 = "E501"
    /// templates: undefined name, attribute or key (with did-you-mean; Airflow 3's removed variables say what to use)
    case e502 = "E502"
    /// templates: unknown filter
    case e503 = "E503"
    /// templates: unknown test
    case e504 = "E504"
    /// templates: wrong argument count or keyword
    case e505 = "E505"
    /// templates: type error
    case e506 = "E506"
    /// templates: an error raised by a function (ref() of an unknown table, ...)
    case e507 = "E507"
    /// templates: an include that does not exist, or includes itself
    case e508 = "E508"
    /// templates: a value error (division by zero, an impossible date, integer overflow)
    case e509 = "E509"
    /// templates: a limit hit (recursion depth, output size, loop iterations)
    case e510 = "E510"
    /// statements: SQL pipec wraps (a build, view, check, query source, export filter) is more than one statement, or none
    case e520 = "E520"
    /// graph: a dependency cycle, naming every member with its location
    case e601 = "E601"
    /// graph: a template uses an output of a task that is not upstream
    case e602 = "E602"
    /// plan: no runs to plan (the selection falls outside the schedule)
    case e700 = "E700"
    /// plan: a strategy cannot be lowered as written (scd2 on ClickHouse without a ReplacingMergeTree ordered by key and valid_from, ...)
    case e701 = "E701"
    /// plan: a non-external Athena table (pipec never creates Athena tables)
    case e702 = "E702"
    /// secrets: a secret written literally in the spec (--strict makes it an error)
    case w701 = "W701"
    /// lineage: SQL reads a table this pipeline produces by its bare name instead of ref()
    case w702 = "W702"
}
