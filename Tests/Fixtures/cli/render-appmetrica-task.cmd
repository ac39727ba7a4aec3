render specs/appmetrica.yaml fetch_installations --ds 2025-01-10T03:00:00Z
