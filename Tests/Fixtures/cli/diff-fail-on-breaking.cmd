diff Tests/Fixtures/diff/dropped-column/old.yaml Tests/Fixtures/diff/dropped-column/new.yaml --fail-on breaking
