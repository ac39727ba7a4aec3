-- params.load_mode: 'daily' takes the day before ds (the DAG's yesterday()); 'migration' takes every day up to it.
WITH post_actions AS (
    SELECT
        user_id
        , post_id
        , action
        , time
        , lagInFrame(time) OVER (PARTITION BY post_id, toDate(time), action ORDER BY time) AS prev_time
        , minIf(time, action = 'view') OVER (PARTITION BY toDate(time), post_id) AS first_view_in_day
        , minIf(time, action = 'like') OVER (PARTITION BY toDate(time), post_id) AS first_like_in_day
    FROM
        {{ source('feed_actions') }}
    WHERE
        toDate(time) {% if params.load_mode == 'migration' %}<={% else %}={% endif %} '{{ macros.ds_add(ds, -1) }}'
)
SELECT
    toDate(time) AS date
    , post_id
    , min(time) AS first_action_time
    , max(time) AS last_action_time
    , countIf(action = 'view') AS views
    , countIf(action = 'like') AS likes
    , uniqIf(user_id, action = 'view') AS unique_viewers
    , uniqIf(user_id, action = 'like') AS unique_likers
    , avgIf(time - prev_time, action = 'view' AND prev_time != toDateTime(0)) AS avg_time_between_views
    , avgIf(time - prev_time, action = 'like' AND prev_time != toDateTime(0)) AS avg_time_between_likes
    , avgIf(
        first_like_in_day - first_view_in_day
        , first_like_in_day != toDateTime(0)
          AND first_view_in_day != toDateTime(0)
          AND first_like_in_day >= first_view_in_day
    ) AS avg_view_to_like_seconds
FROM
    post_actions
GROUP BY
    date
    , post_id
ORDER BY
    date
    , post_id
