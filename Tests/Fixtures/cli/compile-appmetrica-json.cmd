compile specs/appmetrica.yaml --ds 2025-01-10T03:00:00Z --format json
