-- The Logs API's date_until is inclusive, so staging can hold the first second of the next hour:
-- the outer filter keeps exactly this run's interval. Empty strings are the API's missing values.
SELECT *
FROM
(
    SELECT
        toUInt32OrZero(application_id)                       AS application_id,
        toUInt64OrZero(appmetrica_device_id)                 AS appmetrica_device_id,
        profile_id,
        toUInt64OrZero(session_id)                           AS session_id,
        parseDateTimeBestEffort(session_start_datetime)      AS session_start_datetime,
        parseDateTimeBestEffortOrZero(session_start_receive_datetime) AS session_start_receive_datetime,
        os_name,
        os_version,
        device_manufacturer,
        device_model,
        country_iso_code,
        city,
        app_version_name
    FROM {{ ref('tmp.appmetrica_sessions_starts') }}
)
WHERE {{ interval_filter('session_start_datetime') }}
