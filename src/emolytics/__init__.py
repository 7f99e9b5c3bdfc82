"""Emolytics: self-hosted emotion analytics. Imports nothing, so the engine stays Flask-free."""

__version__ = "0.1.0"
