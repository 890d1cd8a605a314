"""PedPulse domain and services: no aiogram imports, testable without Telegram."""
