"""Questionnaire instruments as data, and the pure engine that runs and scores them."""
