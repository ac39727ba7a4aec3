compile specs/athena_partitions.yaml --ds 2011-06-01
