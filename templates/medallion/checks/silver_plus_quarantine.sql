SELECT
    (SELECT count() FROM {{ ref('silver.fact_events') }} FINAL WHERE {{ interval_filter('event_time') }})
        + (SELECT count() FROM {{ ref('silver.quarantine_events') }} WHERE {{ interval_filter('event_time') }})
        AS rows_accounted
