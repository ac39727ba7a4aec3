WITH daily_metrics AS (
    SELECT
        date
        , user_id
        , date - MIN(date) OVER (PARTITION BY user_id) AS lifetime
        , messages_sent
        , messages_received
        , users_sent
        , users_received
        , avg_time_between_messages_sent
    FROM
        {{ ref('fact_daily_messenger') }}
)
, base_metrics AS (
    SELECT
        m.date
        , u.gender
        , u.age
        , u.source
        , u.os
        , u.city
        , u.country
        , COUNT(DISTINCT m.user_id) FILTER (WHERE users_sent != 0) AS total_senders
        , COUNT(DISTINCT m.user_id) FILTER (WHERE users_sent = 0) AS total_receivers
        , COUNT(DISTINCT m.user_id) FILTER (WHERE lifetime = 0) AS new_users_lifetime_0
        , COUNT(DISTINCT m.user_id) FILTER (WHERE lifetime = 7) AS users_lifetime_7d
        , SUM(messages_sent) AS messages_sent
        , AVG(avg_time_between_messages_sent) AS avg_time_between_messages_sent
    FROM
        daily_metrics m
        LEFT JOIN {{ ref('dim_users') }} u ON m.user_id = u.user_id
    GROUP BY
        m.date
        , u.gender
        , u.age
        , u.source
        , u.os
        , u.city
        , u.country
)
, lag_metrics AS (
    SELECT
        date + INTERVAL '7 days' AS date
        , gender
        , age
        , source
        , os
        , city
        , country
        , new_users_lifetime_0 AS new_messenger_users_7_days_ago
    FROM
        base_metrics
)
SELECT
    COALESCE(b.date, l.date) AS date
    , COALESCE(b.gender, l.gender) AS gender
    , COALESCE(b.age, l.age) AS age
    , COALESCE(b.source, l.source) AS source
    , COALESCE(b.os, l.os) AS os
    , COALESCE(b.city, l.city) AS city
    , COALESCE(b.country, l.country) AS country
    , COALESCE(b.total_senders, 0) AS total_senders
    , COALESCE(b.total_receivers, 0) AS total_receivers
    , COALESCE(b.new_users_lifetime_0, 0) AS new_users_lifetime_0
    , COALESCE(b.users_lifetime_7d, 0) AS users_lifetime_7d
    , COALESCE(l.new_messenger_users_7_days_ago, 0) AS new_messenger_users_7_days_ago
    , COALESCE(b.messages_sent, 0) AS messages_sent
    , COALESCE(b.avg_time_between_messages_sent, 0) AS avg_time_between_messages_sent
FROM
    base_metrics b
    FULL JOIN lag_metrics l ON
        b.date = l.date
        AND b.gender = l.gender
        AND b.age = l.age
        AND b.source = l.source
        AND b.os = l.os
        AND b.city = l.city
        AND b.country = l.country
ORDER BY
    date
    , gender
    , age
    , source
    , os
    , city
    , country
