"""Example experimental designs shipped with the package (``spacemarket sweep`` input)."""
