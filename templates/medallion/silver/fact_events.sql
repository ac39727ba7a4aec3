-- The rejection rule here must stay the complement of quarantine_events.sql: a bronze row lands in exactly one.
SELECT
    event_id,
    user_id,
    event_type,
    category,
    source,
    amount,
    toUInt8(event_type = 'purchase' AND amount > 0)     AS is_revenue,
    event_time,
    toDate(event_time)                                  AS event_date,
    toHour(event_time)                                  AS event_hour,
    ingested_at
FROM {{ ref('bronze.stg_events') }}
WHERE {{ interval_filter('event_time') }}
  AND event_id != '' AND user_id != ''
ORDER BY event_id, ingested_at DESC
LIMIT 1 BY event_id
