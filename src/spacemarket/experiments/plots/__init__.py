"""spacemarket.experiments.plots"""
