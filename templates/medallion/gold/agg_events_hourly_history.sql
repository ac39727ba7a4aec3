SELECT
    event_date,
    event_hour,
    category,
    source,
    event_count,
    revenue_events,
    total_value,
    updated_at,
    parseDateTimeBestEffort('{{ data_interval_start | ts }}', 'UTC') AS interval_start,
    now()                                                            AS snapshot_at
FROM {{ ref('gold.agg_events_hourly') }} FINAL
WHERE event_date = toDate('{{ ds }}')
