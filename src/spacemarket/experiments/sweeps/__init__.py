"""spacemarket.experiments.sweeps"""
