compile specs/athena_partitions.yaml --ds 2010-01-02 --format json
