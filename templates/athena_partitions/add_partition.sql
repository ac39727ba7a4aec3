{# IF NOT EXISTS keeps a rerun or a backfill over already registered days from failing. #}
ALTER TABLE historydb.events_table
ADD IF NOT EXISTS PARTITION (year = '{{ ds[:4] }}', month = '{{ ds[5:7] }}', day = '{{ ds[8:] }}')
LOCATION 's3://{{ params.bucket }}/data/year={{ ds[:4] }}/month={{ ds[5:7] }}/day={{ ds[8:] }}/'
