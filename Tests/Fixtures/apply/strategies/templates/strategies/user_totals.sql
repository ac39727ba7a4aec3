SELECT user_id, count(*) AS events, sum(amount) AS amount
FROM {{ ref('bronze.events') }}
GROUP BY user_id
