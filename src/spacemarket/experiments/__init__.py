"""Experiments: CLI, scenario handling, plots. Top of the import hierarchy."""
