"""The people journeys: onboarding, profile, privacy, invites."""
