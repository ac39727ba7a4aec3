-- merged_stats carries f.posts because daily_metrics selects it (the seed's query omitted it and would not compile).
-- The FILTER conditions name m.views / m.messages_sent: unqualified, ClickHouse resolves them to the SUM() aliases
-- of the same SELECT and rejects an aggregate inside an aggregate.
WITH merged_stats AS (
    SELECT
        COALESCE(f.date, m.date) AS date
        , COALESCE(f.user_id, m.user_id) AS user_id
        , f.likes
        , f.views
        , f.posts
        , m.messages_sent
    FROM
        {{ ref('fact_daily_feed') }} f
        FULL JOIN {{ ref('fact_daily_messenger') }} m ON f.date = m.date AND f.user_id = m.user_id
)
, daily_metrics AS (
    SELECT
        date
        , user_id
        , date - MIN(date) OVER (PARTITION BY user_id) AS lifetime
        , views
        , likes
        , posts
        , messages_sent
    FROM
        merged_stats
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
        , COUNT(DISTINCT m.user_id) AS total_users
        , COUNT(DISTINCT m.user_id) FILTER (WHERE m.messages_sent IS NULL) AS feed_only_users
        , COUNT(DISTINCT m.user_id) FILTER (WHERE m.views IS NULL) AS messenger_only_users
        , COUNT(DISTINCT m.user_id) FILTER (WHERE m.views IS NOT NULL AND m.messages_sent IS NOT NULL) AS both_services_users
        , COUNT(DISTINCT m.user_id) FILTER (WHERE m.messages_sent IS NOT NULL) AS messenger_users
        , COUNT(DISTINCT m.user_id) FILTER (WHERE lifetime = 0) AS new_users_lifetime_0
        , COUNT(DISTINCT m.user_id) FILTER (WHERE lifetime = 7) AS users_lifetime_7d
        , SUM(views) AS views
        , SUM(likes) AS likes
        , SUM(messages_sent) AS messages_sent
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
        , new_users_lifetime_0 AS new_users_7_days_ago
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
    , COALESCE(b.total_users, 0) AS total_users
    , COALESCE(b.feed_only_users, 0) AS feed_only_users
    , COALESCE(b.messenger_only_users, 0) AS messenger_only_users
    , COALESCE(b.both_services_users, 0) AS both_services_users
    , COALESCE(b.messenger_users, 0) AS messenger_users
    , COALESCE(b.new_users_lifetime_0, 0) AS new_users_lifetime_0
    , COALESCE(b.users_lifetime_7d, 0) AS users_lifetime_7d
    , COALESCE(l.new_users_7_days_ago, 0) AS new_users_7_days_ago
    , COALESCE(b.views, 0) AS views
    , COALESCE(b.likes, 0) AS likes
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
