render specs/cratedb_export.yaml copy_metrics --ds 2025-02-02
