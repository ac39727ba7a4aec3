lineage Tests/Fixtures/validate/unknown-task-key/spec.yaml
