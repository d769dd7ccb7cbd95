"""spacemarket.experiments.outputs"""
