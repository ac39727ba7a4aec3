SELECT
    event_date,
    total_events,
    unique_users,
    revenue_events,
    total_revenue,
    avg_value,
    updated_at,
    parseDateTimeBestEffort('{{ data_interval_start | ts }}', 'UTC') AS interval_start,
    now()                                                            AS snapshot_at
FROM {{ ref('gold.rpt_daily_summary') }} FINAL
WHERE event_date = toDate('{{ ds }}')
