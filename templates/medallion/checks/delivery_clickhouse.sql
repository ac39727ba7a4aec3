-- Money is compared in integer cents so both engines print the same value.
SELECT
    toInt64(count())                        AS hourly_rows,
    toInt64(sum(event_count))               AS hourly_events,
    toInt64(sum(revenue_events))            AS hourly_revenue_events,
    toInt64(sum(total_value) * 100)         AS hourly_value_cents,
    (SELECT toInt64(count()) FROM {{ ref('gold.rpt_daily_summary') }} FINAL
      WHERE event_date = toDate('{{ ds }}'))                                AS daily_rows,
    (SELECT toInt64(sum(total_events)) FROM {{ ref('gold.rpt_daily_summary') }} FINAL
      WHERE event_date = toDate('{{ ds }}'))                                AS daily_events,
    (SELECT toInt64(sum(unique_users)) FROM {{ ref('gold.rpt_daily_summary') }} FINAL
      WHERE event_date = toDate('{{ ds }}'))                                AS daily_unique_users,
    (SELECT toInt64(sum(total_revenue) * 100) FROM {{ ref('gold.rpt_daily_summary') }} FINAL
      WHERE event_date = toDate('{{ ds }}'))                                AS daily_revenue_cents
FROM {{ ref('gold.agg_events_hourly') }} FINAL
WHERE event_date = toDate('{{ ds }}')
