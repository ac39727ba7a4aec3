-- The Logs API's date_until is inclusive, so staging can hold the first second of the next hour:
-- the outer filter keeps exactly this run's interval. Empty strings are the API's missing values.
SELECT *
FROM
(
    SELECT
        toUInt32OrZero(application_id)                       AS application_id,
        installation_id,
        toUInt64OrZero(appmetrica_device_id)                 AS appmetrica_device_id,
        profile_id,
        parseDateTimeBestEffort(install_datetime)            AS install_datetime,
        parseDateTimeBestEffortOrZero(install_receive_datetime) AS install_receive_datetime,
        toUInt8(is_reinstallation = 'true')                  AS is_reinstallation,
        toUInt8(is_reattribution = 'true')                   AS is_reattribution,
        match_type,
        tracker_name,
        tracking_id,
        publisher_name,
        parseDateTimeBestEffortOrNull(click_datetime)        AS click_datetime,
        os_name,
        os_version,
        device_manufacturer,
        device_model,
        country_iso_code,
        city,
        app_version_name
    FROM {{ ref('tmp.appmetrica_installations') }}
)
WHERE {{ interval_filter('install_datetime') }}
