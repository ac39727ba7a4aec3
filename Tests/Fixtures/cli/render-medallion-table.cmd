render specs/medallion.yaml silver.fact_events --ds 2025-03-01T05:00:00Z
