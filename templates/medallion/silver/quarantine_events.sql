SELECT
    event_id,
    user_id,
    event_type,
    category,
    source,
    amount,
    country,
    user_tier,
    event_time,
    ingested_at,
    batch_id,
    multiIf(event_id = '' AND user_id = '', 'empty event_id and user_id',
            event_id = '', 'empty event_id',
            'empty user_id')                            AS rejection_reason,
    now()                                               AS quarantined_at
FROM {{ ref('bronze.stg_events') }}
WHERE {{ interval_filter('event_time') }}
  AND (event_id = '' OR user_id = '')
