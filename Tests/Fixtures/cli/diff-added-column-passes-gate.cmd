diff Tests/Fixtures/diff/added-column/old.yaml Tests/Fixtures/diff/added-column/new.yaml --fail-on breaking
