"""Everything the market is: physics, economics, games, scenarios and the model loop.

Layers, imported downward only (``docs/architecture.md``): :mod:`.physics`, :mod:`.economics`
and :mod:`.games` are pure numerical code without Mesa; :mod:`.scenario` loads and validates
scenario files; :mod:`.model` is the Mesa model (``SpaceMarket``, ``run_scenario``), built on
:mod:`spacemarket.agents`.
"""
