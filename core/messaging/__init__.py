"""Messaging: the outbox, its sender and pacing, broadcasts and announcements."""
