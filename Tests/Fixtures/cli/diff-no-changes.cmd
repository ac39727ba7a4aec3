diff Tests/Fixtures/diff/no-changes/old.yaml Tests/Fixtures/diff/no-changes/new.yaml
