diff Tests/Fixtures/diff/retyped-column/old.yaml Tests/Fixtures/diff/retyped-column/new.yaml
