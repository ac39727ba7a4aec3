-- Synthetic event source. Every value is a pure function of (interval, row number), so re-running an interval
-- reproduces identical rows. Every 40th row re-sends the previous event (work for the silver dedup), and about
-- 2% of rows lack an event_id or a user_id (work for the quarantine).
WITH
    parseDateTimeBestEffort('{{ data_interval_start | ts }}', 'UTC') AS interval_start,
    parseDateTimeBestEffort('{{ data_interval_end | ts }}', 'UTC')   AS interval_end
SELECT
    if(h % 50 = 0, '', lower(hex(MD5(concat('{{ ts }}', '/', toString(k))))))           AS event_id,
    if(h % 97 = 13, '', concat('u', leftPad(toString(user_no), 6, '0')))                 AS user_id,
    arrayElement(['page_view', 'page_view', 'page_view', 'page_view', 'click', 'click', 'click',
                  'add_to_cart', 'purchase', 'signup'], 1 + bitShiftRight(h, 8) % 10)              AS event_type,
    arrayElement(['electronics', 'books', 'fashion', 'home', 'sports'], 1 + bitShiftRight(h, 16) % 5) AS category,
    arrayElement(['web', 'ios', 'android', 'api'], 1 + bitShiftRight(h, 20) % 4)                   AS source,
    if(event_type = 'purchase', CAST(1 + bitShiftRight(h, 24) % 50000 AS Decimal(18, 2)) / 100,
       CAST(0 AS Decimal(18, 2)))                                                       AS amount,
    arrayElement(['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP'], 1 + cityHash64(user_no) % 7) AS country,
    -- a user's tier is stable within a week and may change between weeks: history for the SCD2 dimension
    arrayElement(['free', 'free', 'free', 'pro', 'pro', 'enterprise'],
                 1 + cityHash64(user_no, toYearWeek(interval_start)) % 6)               AS user_tier,
    interval_start + toIntervalSecond(bitShiftRight(h, 40) % dateDiff('second', interval_start, interval_end)) AS event_time,
    interval_end                                                                        AS ingested_at,
    '{{ ts_nodash }}'                                                                   AS batch_id
FROM
(
    SELECT
        number,
        if(number % 40 = 39, number - 1, number)    AS k,
        sipHash64('{{ ts }}', k)                      AS h,
        bitShiftRight(h, 32) % {{ params.user_count }}           AS user_no
    FROM numbers({{ params.events_per_hour }})
)
