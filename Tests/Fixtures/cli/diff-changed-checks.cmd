diff Tests/Fixtures/diff/changed-checks/old.yaml Tests/Fixtures/diff/changed-checks/new.yaml
