"""Storage: the tables (models), idempotent writes (repo), engines and migrations (db)."""
