-- Valid rows count once per distinct event_id (silver dedups them); invalid rows count one each.
SELECT
    uniqExactIf(event_id, event_id != '' AND user_id != '')
        + countIf(event_id = '' OR user_id = '')                AS rows_accounted
FROM {{ ref('bronze.stg_events') }}
WHERE {{ interval_filter('event_time') }}
