"""Shipped, sourced TOML data: launch vehicles, designs, sites, hardware, learning paths."""
