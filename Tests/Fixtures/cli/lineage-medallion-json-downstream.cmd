lineage specs/medallion.yaml --format json --downstream silver.fact_events
