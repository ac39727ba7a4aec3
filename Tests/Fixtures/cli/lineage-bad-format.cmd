lineage specs/medallion.yaml --format png
