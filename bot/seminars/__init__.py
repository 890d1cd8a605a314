"""Seminars for teachers and their organisers."""
