-- Distinct users, not rows: a re-run inserts the same version again until ReplacingMergeTree merges it away.
SELECT uniqExact(user_id) AS expected_rows
FROM {{ ref('dim_users') }}
WHERE version = toDate('{{ ds }}')
