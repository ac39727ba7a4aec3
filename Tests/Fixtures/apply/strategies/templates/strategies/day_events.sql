SELECT event_id, user_id, plan, amount, event_time
FROM {{ ref('bronze.events') }}
WHERE {{ interval_filter('event_time') }}
