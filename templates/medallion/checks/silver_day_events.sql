SELECT
    count() AS hourly_events,
    count() AS daily_events
FROM {{ ref('silver.fact_events') }} FINAL
WHERE event_date = toDate('{{ ds }}')
