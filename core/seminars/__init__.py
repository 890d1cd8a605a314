"""Seminars: listing and registration, the form and publishing, organisers, jobs, import."""
