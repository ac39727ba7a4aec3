SELECT
    order_date,
    country,
    count(*) AS orders,
    round(sum(amount), 2) AS revenue
FROM {{ ref('silver.orders') }}
WHERE order_date = '{{ ds }}'
GROUP BY order_date, country
