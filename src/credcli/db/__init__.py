"""Persistence: typed models, the engine, and migrations applied on open."""
