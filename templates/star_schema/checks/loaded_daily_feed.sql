SELECT count() AS expected_rows
FROM {{ ref('fact_daily_feed') }}
WHERE date {% if params.load_mode == 'migration' %}<={% else %}={% endif %} '{{ macros.ds_add(ds, -1) }}'
