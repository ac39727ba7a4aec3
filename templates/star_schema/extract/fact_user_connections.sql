-- params.load_mode: 'daily' takes the day before ds (the DAG's yesterday()); 'migration' takes every day up to it.
SELECT
    toDate(time) AS date
    , user_id AS sender_id
    , receiver_id
    , count() AS messages_count
FROM
    {{ source('message_actions') }}
WHERE
    toDate(time) {% if params.load_mode == 'migration' %}<={% else %}={% endif %} '{{ macros.ds_add(ds, -1) }}'
GROUP BY
    date
    , sender_id
    , receiver_id
ORDER BY
    date
    , sender_id
    , receiver_id
