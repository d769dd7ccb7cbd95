"""spacemarket.experiments.integration"""
