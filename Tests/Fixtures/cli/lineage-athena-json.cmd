lineage specs/athena_partitions.yaml --format json
