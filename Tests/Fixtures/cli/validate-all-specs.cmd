validate specs/appmetrica.yaml specs/athena_partitions.yaml specs/cratedb_export.yaml specs/medallion.yaml specs/star_schema.yaml
