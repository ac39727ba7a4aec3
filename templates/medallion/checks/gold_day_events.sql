SELECT
    (SELECT sum(event_count) FROM {{ ref('gold.agg_events_hourly') }} FINAL
      WHERE event_date = toDate('{{ ds }}'))                                        AS hourly_events,
    (SELECT sum(total_events) FROM {{ ref('gold.rpt_daily_summary') }} FINAL
      WHERE event_date = toDate('{{ ds }}'))                                        AS daily_events
