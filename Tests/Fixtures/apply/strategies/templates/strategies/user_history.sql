SELECT DISTINCT user_id, plan
FROM {{ ref('bronze.events') }}
WHERE {{ interval_filter('event_time') }}
