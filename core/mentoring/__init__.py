"""Mentoring: young teachers and their mentors (to come)."""
