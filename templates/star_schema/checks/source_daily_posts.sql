-- Rows fact_daily_posts should have received: one per (date, post_id) with any action.
SELECT uniqExact(toDate(time), post_id) AS expected_rows
FROM {{ source('feed_actions') }}
WHERE toDate(time) {% if params.load_mode == 'migration' %}<={% else %}={% endif %} '{{ macros.ds_add(ds, -1) }}'
