lineage Tests/Fixtures/cli/lineage-notify-spec.yaml --downstream tell
