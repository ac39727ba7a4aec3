-- {{ params.table }}: build for {{ ds }} (run {{ run_id }})
INSERT INTO {{ params.schema }}.{{ params.table }}
SELECT
    event_id,
    user_id,
{%- for col in params.columns %}
    {{ col }}{% if not loop.last %},{% endif %}
{%- endfor %}
FROM raw.events
WHERE event_date >= '{{ ds }}'
  AND event_date < '{{ macros.ds_add(ds, 1) }}'
  AND event_time >= '{{ data_interval_start | ts }}'
  AND event_time < '{{ data_interval_end | ts }}'
{%- if params.app_id is defined %}
  AND app_id = {{ params.app_id }}
{%- endif %}
  AND source = {{ params.source | sql_literal }}
  AND partition_key = '{{ ds_nodash }}'
  AND ingested_at <= '{{ ts }}'
{%- if params.dedupe %}
  AND event_id NOT IN (
      SELECT event_id
      FROM {{ params.schema }}.{{ params.table }}
      WHERE event_date = '{{ macros.ds_add(ds, -1) }}'
  )
{%- else %}
  AND 1 = 1
{%- endif %}
ORDER BY event_time
-- logical date {{ logical_date }}, interval ends {{ data_interval_end | ds }}
