"""What every domain of the bot shares: rendering, keyboards, fallbacks."""
