SELECT
    event_date,
    count()                                                     AS total_events,
    uniqExact(user_id)                                          AS unique_users,
    countIf(is_revenue = 1)                                     AS revenue_events,
    sumIf(amount, is_revenue = 1)                               AS total_revenue,
    if(revenue_events = 0, 0, toFloat64(total_revenue) / revenue_events) AS avg_value,
    now()                                                       AS updated_at
FROM {{ ref('silver.fact_events') }} FINAL
WHERE event_date = toDate('{{ ds }}')
GROUP BY event_date
