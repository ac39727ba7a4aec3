SELECT
    order_id,
    customer_id,
    upper(country) AS country,
    amount,
    ordered_at,
    date(ordered_at) AS order_date
FROM {{ ref('bronze.orders') }}
WHERE {{ interval_filter('ordered_at') }}
