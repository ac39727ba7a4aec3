WITH daily_metrics AS (
    SELECT
        date
        , user_id
        , date - MIN(date) OVER (PARTITION BY user_id) AS lifetime
        , views
        , likes
        , posts
        , avg_view_to_like_seconds
    FROM
        {{ ref('fact_daily_feed') }}
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
        , COUNT(DISTINCT m.user_id) AS feed_users
        , COUNT(DISTINCT m.user_id) FILTER (WHERE lifetime = 0) AS feed_new_users_lifetime_0
        , COUNT(DISTINCT m.user_id) FILTER (WHERE lifetime = 7) AS feed_users_lifetime_7d
        , SUM(views) AS views
        , SUM(likes) AS likes
        , SUM(posts) AS posts
        , AVG(avg_view_to_like_seconds) AS avg_view_to_like_seconds
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
        , feed_new_users_lifetime_0 AS feed_new_users_7_days_ago
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
    , COALESCE(b.views, 0) AS views
    , COALESCE(b.likes, 0) AS likes
    , COALESCE(b.posts, 0) AS posts
    , COALESCE(b.avg_view_to_like_seconds, 0) AS avg_view_to_like_seconds
    , COALESCE(b.feed_users, 0) AS feed_users
    , COALESCE(b.feed_new_users_lifetime_0, 0) AS feed_new_users_lifetime_0
    , COALESCE(b.feed_users_lifetime_7d, 0) AS feed_users_lifetime_7d
    , COALESCE(l.feed_new_users_7_days_ago, 0) AS feed_new_users_7_days_ago
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
