render specs/athena_partitions.yaml update_partition --ds 2010-01-04
