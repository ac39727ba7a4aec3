SELECT
    event_date,
    event_hour,
    category,
    source,
    count()                             AS event_count,
    countIf(is_revenue = 1)             AS revenue_events,
    sum(amount)                         AS total_value,
    now()                               AS updated_at
FROM {{ ref('silver.fact_events') }} FINAL
WHERE event_date = toDate('{{ ds }}')
GROUP BY event_date, event_hour, category, source
