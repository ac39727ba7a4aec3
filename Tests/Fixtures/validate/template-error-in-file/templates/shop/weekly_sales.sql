SELECT day AS week, sum(total) AS total
FROM {{ ref('daily_sales') }}
WHERE day >= '{{ ds | uppercase }}'
GROUP BY 1
