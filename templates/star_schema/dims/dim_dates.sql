-- Two years of dates from 2025-01-01. The seed's dateName('day', ...) yields the day of the month ('3'), not a
-- name; 'weekday' gives the name the day_name column is meant to hold.
SELECT
    date
    , toDayOfWeek(date) AS day_of_week
    , dateName('weekday', date) AS day_name
    , toMonth(date) AS month
    , dateName('month', date) AS month_name
    , toQuarter(date) AS quarter
    , toYear(date) AS year
    , if(day_of_week IN (6, 7), 1, 0) AS is_weekend
    , toISOWeek(date) AS week_number
FROM (
    SELECT toDate('2025-01-01') + number AS date
    FROM numbers(730)
)
