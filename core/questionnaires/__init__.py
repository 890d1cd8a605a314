"""Questionnaires: taking them, results and routes, support, anonymity, campaigns."""
