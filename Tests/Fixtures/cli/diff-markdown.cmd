diff Tests/Fixtures/diff/changed-sql-upstream/old.yaml Tests/Fixtures/diff/changed-sql-upstream/new.yaml --format markdown
