SELECT event_date, sum(n) AS total
FROM {{ ref('events') }}
WHERE event_date = '{{ ds }}'
GROUP BY event_date
