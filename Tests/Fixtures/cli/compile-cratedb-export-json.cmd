compile specs/cratedb_export.yaml --ds 2021-11-12 --format json
