"""Monitoring (to come)."""
