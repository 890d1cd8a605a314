"""Mentoring (to come)."""
