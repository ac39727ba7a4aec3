SELECT event_date, event_hour, category, source, event_count, revenue_events, total_value, updated_at
FROM {{ ref('gold.agg_events_hourly') }} FINAL
WHERE event_date = toDate('{{ ds }}')
