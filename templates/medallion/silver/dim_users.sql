-- Latest attributes seen for each valid user in the interval; pipec's scd2 strategy compares them with the
-- current version and closes/opens versions (valid_from, valid_to, is_current, version).
SELECT
    user_id,
    argMax(country, event_time)     AS country,
    argMax(user_tier, event_time)   AS user_tier
FROM {{ ref('bronze.stg_events') }}
WHERE {{ interval_filter('event_time') }}
  AND event_id != '' AND user_id != ''
GROUP BY user_id
