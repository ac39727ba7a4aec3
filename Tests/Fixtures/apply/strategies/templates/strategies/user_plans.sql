SELECT user_id, max(plan) AS plan, max(event_time) AS last_seen
FROM {{ ref('bronze.events') }}
WHERE {{ interval_filter('event_time') }}
GROUP BY user_id
