"""Market layers: physics, economics (and later the Mesa model)."""
