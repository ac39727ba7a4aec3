-- event_date is the Hive partition (it is in the object key), so it is left out of the file.
SELECT total_events, unique_users, revenue_events, total_revenue, avg_value, updated_at
FROM {{ ref('gold.rpt_daily_summary') }} FINAL
WHERE event_date = toDate('{{ ds }}')
