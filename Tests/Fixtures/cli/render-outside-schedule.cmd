render specs/medallion.yaml silver.fact_events --ds 1999-01-01
