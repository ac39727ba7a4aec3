compile specs/medallion.yaml --ds 2025-03-01 --from 2025-03-01 --to 2025-03-02
