-- Rows fact_user_connections should have received: one per (date, sender, receiver).
SELECT uniqExact(toDate(time), user_id, receiver_id) AS expected_rows
FROM {{ source('message_actions') }}
WHERE toDate(time) {% if params.load_mode == 'migration' %}<={% else %}={% endif %} '{{ macros.ds_add(ds, -1) }}'
