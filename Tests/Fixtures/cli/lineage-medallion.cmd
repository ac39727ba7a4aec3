lineage specs/medallion.yaml
