diff Tests/Fixtures/diff/renamed-task/old.yaml Tests/Fixtures/diff/renamed-task/new.yaml
