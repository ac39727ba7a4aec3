-- params.load_mode: 'daily' takes the day before ds (the DAG's yesterday()); 'migration' takes every day up to it.
-- version was toDate(now()) in the DAG; with airflow3 semantics ds is the run's date, and unlike now() it stays
-- the same when an old day is re-run.
SELECT
    user_id
    , argMax(gender, time) AS gender
    , argMax(age, time) AS age
    , argMax(source, time) AS source
    , argMax(os, time) AS os
    , argMax(city, time) AS city
    , argMax(country, time) AS country
    , argMax(exp_group, time) AS exp_group
    , toDate('{{ ds }}') AS version
FROM (
    SELECT
        time
        , user_id
        , gender
        , age
        , source
        , os
        , city
        , country
        , exp_group
    FROM
        {{ source('feed_actions') }}
    UNION ALL
    SELECT
        time
        , user_id
        , gender
        , age
        , source
        , os
        , city
        , country
        , exp_group
    FROM
        {{ source('message_actions') }}
)
WHERE
    toDate(time) {% if params.load_mode == 'migration' %}<={% else %}={% endif %} '{{ macros.ds_add(ds, -1) }}'
GROUP BY
    user_id
ORDER BY
    user_id
