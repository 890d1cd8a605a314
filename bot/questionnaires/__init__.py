"""Questionnaires, support requests and campaigns."""
