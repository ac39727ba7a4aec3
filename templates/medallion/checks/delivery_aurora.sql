-- Money is compared in integer cents so both engines print the same value.
SELECT
    count(*)::bigint                                    AS hourly_rows,
    coalesce(sum(event_count), 0)::bigint               AS hourly_events,
    coalesce(sum(revenue_events), 0)::bigint            AS hourly_revenue_events,
    coalesce(sum(total_value) * 100, 0)::bigint         AS hourly_value_cents,
    (SELECT count(*) FROM {{ ref('public.rpt_daily_summary') }}
      WHERE event_date = DATE '{{ ds }}')::bigint                           AS daily_rows,
    (SELECT coalesce(sum(total_events), 0) FROM {{ ref('public.rpt_daily_summary') }}
      WHERE event_date = DATE '{{ ds }}')::bigint                           AS daily_events,
    (SELECT coalesce(sum(unique_users), 0) FROM {{ ref('public.rpt_daily_summary') }}
      WHERE event_date = DATE '{{ ds }}')::bigint                           AS daily_unique_users,
    (SELECT coalesce(sum(total_revenue) * 100, 0) FROM {{ ref('public.rpt_daily_summary') }}
      WHERE event_date = DATE '{{ ds }}')::bigint                           AS daily_revenue_cents
FROM {{ ref('public.agg_events_hourly') }}
WHERE event_date = DATE '{{ ds }}'
