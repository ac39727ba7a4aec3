lineage specs/medallion.yaml --upstream silver.fact_event
