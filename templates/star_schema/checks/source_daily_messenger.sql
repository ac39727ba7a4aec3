-- Rows fact_daily_messenger should have received: one per (date, user) who sent or received a message.
SELECT uniqExact(toDate(time), user_id) AS expected_rows
FROM (
    SELECT time, user_id FROM {{ source('message_actions') }}
    UNION ALL
    SELECT time, receiver_id AS user_id FROM {{ source('message_actions') }}
)
WHERE toDate(time) {% if params.load_mode == 'migration' %}<={% else %}={% endif %} '{{ macros.ds_add(ds, -1) }}'
