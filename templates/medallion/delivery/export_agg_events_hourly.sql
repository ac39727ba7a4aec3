-- event_date is the Hive partition (it is in the object key), so it is left out of the file.
SELECT event_hour, category, source, event_count, revenue_events, total_value, updated_at
FROM {{ ref('gold.agg_events_hourly') }} FINAL
WHERE event_date = toDate('{{ ds }}')
ORDER BY event_hour, category, source
