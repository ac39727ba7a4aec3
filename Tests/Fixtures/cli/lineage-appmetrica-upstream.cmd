lineage specs/appmetrica.yaml --upstream dwh.appmetrica_events
