compile specs/star_schema.yaml --ds 2025-10-01
