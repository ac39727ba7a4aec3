frobnicate specs/medallion.yaml
