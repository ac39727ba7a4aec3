render specs/medallion.yaml silver.fact_event
