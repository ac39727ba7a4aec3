diff Tests/Fixtures/diff/changed-schedule/old.yaml Tests/Fixtures/diff/changed-schedule/new.yaml
