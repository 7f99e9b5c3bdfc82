"""Typed tables. Import from here: `from emolytics.models import User`."""

from emolytics.models.user import ApiToken, LoginEvent, User, UserSession, utcnow

__all__ = ["ApiToken", "LoginEvent", "User", "UserSession", "utcnow"]
