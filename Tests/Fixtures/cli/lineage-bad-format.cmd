lineage specs/medallion.yaml --format svg
