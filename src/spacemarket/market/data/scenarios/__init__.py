"""Scenario presets (TOML): baseline-2026 and backtest-2023."""
