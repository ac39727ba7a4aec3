-- params.load_mode: 'daily' takes the day before ds (the DAG's yesterday()); 'migration' takes every day up to it.
WITH user_actions AS (
    SELECT
        user_id
        , post_id
        , action
        , time
        , lagInFrame(time) OVER (PARTITION BY user_id, toDate(time), action ORDER BY time) AS prev_time
        , minIf(time, action = 'view') OVER (PARTITION BY user_id, toDate(time), post_id) AS first_view_in_day
        , minIf(time, action = 'like') OVER (PARTITION BY user_id, toDate(time), post_id) AS first_like_in_day
    FROM
        {{ source('feed_actions') }}
    WHERE
        toDate(time) {% if params.load_mode == 'migration' %}<={% else %}={% endif %} '{{ macros.ds_add(ds, -1) }}'
)
SELECT
    toDate(time) AS date
    , user_id
    , minIf(time, action = 'view') AS first_view_time
    , minIf(time, action = 'like') AS first_like_time
    , maxIf(time, action = 'view') AS last_view_time
    , maxIf(time, action = 'like') AS last_like_time
    , uniq(post_id) AS posts
    , countIf(action = 'view') AS views
    , countIf(action = 'like') AS likes
    , avgIf(time - prev_time, action = 'view' AND prev_time != toDateTime(0)) AS avg_time_between_views
    , avgIf(time - prev_time, action = 'like' AND prev_time != toDateTime(0)) AS avg_time_between_likes
    , avgIf(
        first_like_in_day - first_view_in_day
        , first_like_in_day != toDateTime(0)
          AND first_view_in_day != toDateTime(0)
          AND first_like_in_day >= first_view_in_day
    ) AS avg_view_to_like_seconds
FROM
    user_actions
GROUP BY
    date
    , user_id
ORDER BY
    date
    , user_id
