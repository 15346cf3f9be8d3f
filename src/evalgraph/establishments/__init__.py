"""Establishments: the inventory template and import, readiness checks, the economic sheet."""
