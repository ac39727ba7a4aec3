render specs/star_schema.yaml load_daily_feed --ds 2025-10-01
