lineage specs/appmetrica.yaml --downstream appmetrica:/logs/v1/export/events.csv --format dot
