compile specs/medallion.yaml --ds 2025-03-01T05:00:00Z --format json
