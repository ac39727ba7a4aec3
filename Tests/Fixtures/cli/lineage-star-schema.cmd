lineage specs/star_schema.yaml
