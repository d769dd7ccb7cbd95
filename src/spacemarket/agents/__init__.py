"""Mesa agents (arrive with the agent-based market). Import only market.economics/physics."""
