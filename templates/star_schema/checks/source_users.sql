-- Users dim_users should have received a version for: everyone active in the loaded days.
SELECT uniqExact(user_id) AS expected_rows
FROM (
    SELECT time, user_id FROM {{ source('feed_actions') }}
    UNION ALL
    SELECT time, user_id FROM {{ source('message_actions') }}
)
WHERE toDate(time) {% if params.load_mode == 'migration' %}<={% else %}={% endif %} '{{ macros.ds_add(ds, -1) }}'
