lineage Tests/Fixtures/cli/lineage-notify-spec.yaml --format dot
