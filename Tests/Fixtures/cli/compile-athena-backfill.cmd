compile specs/athena_partitions.yaml --from 2010-01-01 --to 2010-01-03
