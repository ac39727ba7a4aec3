lineage specs/medallion.yaml --format dot
