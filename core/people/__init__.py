"""People: who they are (the viewer), invites, onboarding, the profile, the roster."""
