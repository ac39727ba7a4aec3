lineage specs/medallion.yaml --upstream bronze.stg_events --downstream gold.rpt_daily_summary
