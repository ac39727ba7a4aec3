-- Rows fact_daily_feed should have received: one per (date, user_id) with feed activity.
SELECT uniqExact(toDate(time), user_id) AS expected_rows
FROM {{ source('feed_actions') }}
WHERE toDate(time) {% if params.load_mode == 'migration' %}<={% else %}={% endif %} '{{ macros.ds_add(ds, -1) }}'
