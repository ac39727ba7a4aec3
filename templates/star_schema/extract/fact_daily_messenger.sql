-- params.load_mode: 'daily' takes the day before ds (the DAG's yesterday()); 'migration' takes every day up to it.
-- The FULL JOIN relies on ClickHouse's default join_use_nulls = 0: an unmatched side reads as zeros, hence the
-- user_id != 0 tests.
WITH user_actions AS (
    SELECT
        time
        , user_id
        , receiver_id
        , lagInFrame(time) OVER (PARTITION BY toDate(time), user_id ORDER BY time) AS user_prev_time
        , lagInFrame(time) OVER (PARTITION BY toDate(time), receiver_id ORDER BY time) AS receiver_prev_time
    FROM
        {{ source('message_actions') }}
    WHERE
        toDate(time) {% if params.load_mode == 'migration' %}<={% else %}={% endif %} '{{ macros.ds_add(ds, -1) }}'
)
, senders AS (
    SELECT
        toDate(time) AS date
        , user_id
        , min(time) AS first_sent_time
        , max(time) AS last_sent_time
        , uniq(receiver_id) AS users_sent
        , count() AS messages_sent
        , avgIf(time - user_prev_time, user_prev_time != toDateTime(0)) AS avg_time_between_messages_sent
    FROM
        user_actions
    GROUP BY
        date
        , user_id
)
, receivers AS (
    SELECT
        toDate(time) AS date
        , receiver_id AS user_id
        , min(time) AS first_received_time
        , max(time) AS last_received_time
        , uniq(user_id) AS users_received
        , count() AS messages_received
        , avgIf(time - receiver_prev_time, receiver_prev_time != toDateTime(0)) AS avg_time_between_messages_received
    FROM
        user_actions
    GROUP BY
        date
        , receiver_id
)
SELECT
    if(s.user_id != 0, s.date, r.date) AS date
    , if(s.user_id != 0, s.user_id, r.user_id) AS user_id
    , s.first_sent_time
    , s.last_sent_time
    , s.users_sent
    , s.messages_sent
    , s.avg_time_between_messages_sent
    , r.first_received_time
    , r.last_received_time
    , r.users_received
    , r.messages_received
    , r.avg_time_between_messages_received
FROM
    senders s
    FULL JOIN receivers r ON s.date = r.date AND s.user_id = r.user_id
ORDER BY
    date
    , user_id
